"""Customer e-mails carry their papers, Polish amounts and, for money asked, the bank account."""

from obieg.mail.models import OutboxMessage
from obieg.solutions.pv_installation import documents, notify, services
from tests.documents import samples
from tests.solutions.pv_installation.helpers import (
    new_project,
    reload,
    to_contract_sent,
    to_offer,
)

ACCOUNT = "PL61 1090 1014 0000 0712 1981 2874"  # the profile's IBAN, grouped as banks print it
NBSP = "\u00a0"


def mail(subject_start: str) -> OutboxMessage:
    return OutboxMessage.objects.filter(subject__startswith=subject_start).latest("id")


def attached(message: OutboxMessage) -> list[tuple[str, bytes]]:
    return [(a.name, a.file.read()[:4]) for a in message.attachments.all()]


def test_the_offer_mail_carries_the_pdf_the_link_and_a_polish_amount(org):
    project = to_offer(org, new_project(org))
    message = mail("Oferta")
    assert attached(message) == [(f"oferta-{project.offer.number.replace('/', '-')}.pdf", b"%PDF")]
    assert f"22{NBSP}291,20{NBSP}zł" in message.body  # 20,640 net at 8 %
    assert "/pv/c/" in message.body and "Słoneczna Energia" in message.body


def test_the_contract_mail_carries_the_contract_and_the_account_for_the_advance(org):
    project = to_contract_sent(org, new_project(org))
    message = mail("Umowa")
    assert attached(message) == [
        (f"umowa-{project.contract.number.replace('/', '-')}.pdf", b"%PDF")
    ]
    assert ACCOUNT in message.body and "poprosić o zmiany" in message.body


def test_each_invoice_mail_says_what_to_pay_where_and_by_when(org):
    project = to_contract_sent(org, new_project(org))
    services.customer_accept_contract(project=project, contract_id=project.contract_id)
    invoice = reload(project).advance_invoice
    message = mail("Faktura")
    assert message.subject == f"Faktura {invoice.number}"
    assert attached(message) == [(f"faktura-{invoice.number.replace('/', '-')}.pdf", b"%PDF")]
    assert f"6{NBSP}687,36{NBSP}zł" in message.body  # 30 % of 22,291.20
    assert f"płatną do {invoice.due_date:%d.%m.%Y}" in message.body
    assert f"Numer rachunku: {ACCOUNT}" in message.body
    assert f"Tytuł przelewu: {invoice.number}" in message.body


def test_the_finished_installation_mail_carries_protocol_and_warranty(org):
    # The installers' forms (and the protocol drawn from them) are the realisation's; the mail
    # attaches the newest protocol and warranty filed with the project, whatever drew them.
    project = to_offer(org, new_project(org))
    for kind, version in (("protocol", 1), ("protocol", 2), ("warranty", 1)):
        documents.store(
            project, actor=org.sara, kind=kind, title=kind, content=samples.pdf(),
            name=f"{kind}-{version}.pdf",
        )  # fmt: skip
    notify.installation_done(project)
    message = mail("Instalacja")
    names = [name for name, start in attached(message) if start == b"%PDF"]
    assert names == [f"protokol-odbioru-{project.pk}.pdf", f"gwarancja-{project.pk}.pdf"]
    assert message.attachments.get(name__startswith="protokol").file.read() == samples.pdf()
