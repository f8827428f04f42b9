"""E-mails to the customer, in Polish; queued with the step that causes them."""

from __future__ import annotations

from obieg.mail.services import queue_mail
from obieg.solutions.pv_installation.models import PVProject

SIGNATURE = "\n\nZ poważaniem\nZespół fotowoltaiki"


def _to(project: PVProject) -> str:
    return project.account.email or (project.lead.email if project.lead else "")


def _send(project: PVProject, subject: str, body: str) -> None:
    if _to(project):  # a customer without an e-mail gets the link from the salesperson
        queue_mail(to=_to(project), subject=subject, body=body + SIGNATURE)


def offer_sent(project: PVProject, url: str) -> None:
    offer = project.offer
    _send(
        project,
        f"Oferta {offer.number} (wersja {offer.revision_number}) — instalacja fotowoltaiczna",
        "Dzień dobry,\n\nprzesyłamy ofertę na instalację fotowoltaiczną "
        f"(wartość brutto {offer.total_gross:.2f} zł).\nOfertę można obejrzeć, przyjąć lub "
        f"poprosić o zmiany tutaj:\n{url}",
    )


def contract_sent(project: PVProject, url: str) -> None:
    _send(
        project,
        f"Umowa {project.contract.number} — instalacja fotowoltaiczna",
        "Dzień dobry,\n\nprzesyłamy umowę na wykonanie instalacji fotowoltaicznej.\n"
        f"Umowę można przeczytać i zaakceptować tutaj:\n{url}\n"
        "Można też odesłać podpisany skan opiekunowi handlowemu.",
    )


def reminder(project: PVProject, what: str, url: str) -> None:
    _send(
        project,
        f"Przypomnienie: czekamy na odpowiedź ({what})",
        f"Dzień dobry,\n\nuprzejmie przypominamy o dokumencie ({what}) czekającym na "
        f"odpowiedź:\n{url}",
    )


def invoice_issued(project: PVProject, invoice) -> None:
    _send(
        project,
        f"Faktura {invoice.number}",
        f"Dzień dobry,\n\nwystawiliśmy fakturę {invoice.number} na kwotę {invoice.gross:.2f} zł, "
        f"płatną do {invoice.due_date:%d.%m.%Y}.",
    )


def installation_done(project: PVProject) -> None:
    _send(
        project,
        "Instalacja fotowoltaiczna gotowa",
        "Dzień dobry,\n\ninstalacja została wykonana. Protokół odbioru i karta gwarancyjna "
        "są dostępne u opiekuna handlowego.",
    )
