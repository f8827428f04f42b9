"""The service tasks of the PV process; each runs inside the step's transaction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from obieg.billing import advances, payments
from obieg.billing.invoicing import SCHEDULER
from obieg.billing.models import Invoice
from obieg.billing.pdf import invoice_pdf
from obieg.catalogue.selectors import products_by_code
from obieg.core import access
from obieg.crm.models import Opportunity
from obieg.engine.registry import ActionContext
from obieg.sales import services as sales
from obieg.sales.models import Contract
from obieg.scheduling import events
from obieg.scheduling.models import Crew
from obieg.solutions.pv_installation import documents, estimates, links, notify, planning
from obieg.solutions.pv_installation.protocol import store_papers
from obieg.solutions.pv_installation.services import advance_opportunity, project_of_case
from obieg.solutions.pv_installation.templatetags import pv_format
from obieg.solutions.pv_installation.work_brief import site_address
from obieg.solutions.pv_installation.work_reports import works_completed_on


def _author(ctx: ActionContext, project) -> Any:
    """Whom the step's documents are credited to: the person whose task ran it.

    A customer's answer or a timer has no person: then the salesperson, in
    whose name the process writes to the customer.
    """
    if ctx.actor is not None and access.can_attach(ctx.actor, project):
        return ctx.actor
    return project.owner


def _offer_lines(data: dict) -> list[dict]:
    # A line picked from the catalogue names its item by code; the offer line refers to it.
    items = products_by_code(line.get("product") or "" for line in data["lines"])
    return [
        {
            **line,
            "product": items.get(str(line.get("product") or "").upper()),
            "vat_rate": data["vat_rate"],
        }
        for line in data["lines"]
    ]


def prepare_offer(ctx: ActionContext) -> dict:
    """Price the design as an offer (a new revision after changes), render it, send the link."""
    project = project_of_case(ctx.case)
    owner, data = project.owner, dict(ctx.data)
    # The modules chosen make the power: 14 × 440 Wp is 6.16 kWp, whatever the audit suggested.
    power = estimates.power_kwp(data["panel_count"], data["panel_wp"])
    data["power_kwp"] = power
    title = f"Instalacja fotowoltaiczna {pv_format.trimmed(power)} kWp"
    if project.offer is None:
        offer = sales.offer_create(
            actor=owner,
            account=project.account,
            opportunity=project.opportunity,
            title=title,
            lines=_offer_lines(data),
        )
    else:
        offer = sales.offer_revise(actor=owner, offer=project.offer)
        offer = sales.offer_replace_lines(actor=owner, offer=offer, lines=_offer_lines(data))
        sales.offer_update(actor=owner, offer=offer, data={"title": title})
    offer = sales.offer_set_status(actor=owner, offer=offer, status="sent")
    project.offer = offer
    advance_opportunity(project, Opportunity.Stage.PROPOSAL, offer.total_net)
    url = links.customer_url(links.make_token(project.pk, "offer", offer.pk))
    expected = estimates.estimate(
        power=power,
        gross=offer.total_gross,
        annual_consumption_kwh=data.get("annual_consumption_kwh"),
    )
    context = documents.context(project, "offer", data, link=url, estimate=expected)
    content = documents.pdf("offer", context)
    project.offer_document = documents.store(
        project,
        actor=_author(ctx, project),
        kind="offer",
        title=f"Oferta {offer.number}",
        content=content,
        name=f"oferta-{offer.pk}.pdf",
        existing=project.offer_document,
        comment=f"wersja {offer.revision_number}",
    )
    project.save(update_fields=["offer", "offer_document"])
    notify.offer_sent(project, url, content)
    return {
        "power_kwp": power,
        # For the case's timeline, as the offer shows them (the PDF rounds the exact figures).
        "annual_yield_kwh": expected.annual_yield_kwh.quantize(Decimal(1)),
        "payback_years": expected.payback_years.quantize(Decimal("0.1"))
        if expected.payback_years is not None
        else None,
        "offer_id": offer.pk,
        "offer_number": offer.number,
        "offer_revision": offer.revision_number,
        "offer_gross": offer.total_gross,
        "customer_link": url,
        "offer_decision": "",
    }


def prepare_contract(ctx: ActionContext) -> dict:
    """Generate the contract from the accepted offer (PDF, and DOCX for editing)."""
    project = project_of_case(ctx.case)
    owner, data = project.owner, ctx.data
    if data.get("advance_percent"):
        project.advance_percent = Decimal(data["advance_percent"])
    if project.contract is None:
        project.contract = sales.contract_create(
            actor=owner,
            account=project.account,
            data={"offer": project.offer, "status": Contract.Status.AWAITING_APPROVAL},
        )
    else:
        sales.contract_update(
            actor=owner,
            contract=project.contract,
            data={"status": Contract.Status.AWAITING_APPROVAL},
        )
    context = documents.context(project, "contract", data)
    number = project.contract.number.replace("/", "-")
    author = _author(ctx, project)
    project.contract_document = documents.store(
        project,
        actor=author,
        kind="contract",
        title=f"Umowa {project.contract.number}",
        content=documents.pdf("contract", context),
        name=f"umowa-{number}.pdf",
        existing=project.contract_document,
    )
    project.contract_docx = documents.store(
        project,
        actor=author,
        kind="contract",
        title=f"Umowa {project.contract.number} (DOCX)",
        content=documents.contract_docx(context),
        name=f"umowa-{number}.docx",
        existing=project.contract_docx,
    )
    project.save(
        update_fields=["advance_percent", "contract", "contract_document", "contract_docx"]
    )
    advance_opportunity(project, Opportunity.Stage.NEGOTIATION, project.contract.value_net)
    return {
        "contract_id": project.contract.pk,
        "contract_number": project.contract.number,
        "advance_percent": project.advance_percent,
        "contract_approved": None,
        "contract_decision": "",
    }


def send_contract(ctx: ActionContext) -> dict:
    """The approved contract goes to the customer with a link to accept it."""
    project = project_of_case(ctx.case)
    sales.contract_update(
        actor=project.owner, contract=project.contract, data={"status": Contract.Status.SENT}
    )
    url = links.customer_url(links.make_token(project.pk, "contract", project.contract.pk))
    notify.contract_sent(project, url)
    return {"customer_link": url}


def remind_customer(ctx: ActionContext) -> dict:
    """Seven days without an answer: remind the customer of the offer or contract."""
    project = project_of_case(ctx.case)
    about = "contract" if ctx.element_id == "remind_contract" else "offer"
    notify.reminder(project, about, ctx.data.get("customer_link", ""))
    return {f"reminded_{about}": True}


def issue_advance(ctx: ActionContext) -> dict:
    """Issue the advance invoice (ZAL) for the contract's advance percentage and send it."""
    project = project_of_case(ctx.case)
    invoice = advances.advance_invoice_issue(
        actor=SCHEDULER, contract=project.contract, percent=project.advance_percent
    )
    project.advance_invoice = invoice
    project.save(update_fields=["advance_invoice"])
    _send_invoice(project, invoice, _author(ctx, project))
    return {"advance_invoice": invoice.number, "advance_gross": invoice.gross}


def _send_invoice(project, invoice: Invoice, author) -> None:
    """The invoice's PDF among the customer's documents (the 360° page) and to the customer."""
    content = invoice_pdf(invoice)
    documents.store(
        project, actor=author, kind="invoice", title=f"Faktura {invoice.number}",
        content=content, name=f"faktura-{invoice.number.replace('/', '-')}.pdf",
    )  # fmt: skip
    notify.invoice_issued(project, invoice, content)


def _record_full_payment(ctx: ActionContext, invoice: Invoice) -> None:
    invoice.refresh_from_db()
    if invoice.outstanding > 0:
        payments.payment_record(
            actor=ctx.actor,
            invoice=invoice,
            amount=invoice.outstanding,
            paid_on=ctx.data["paid_on"],
            reference=ctx.data.get("payment_reference", ""),
        )


def record_advance_payment(ctx: ActionContext) -> dict:
    """The accountant confirmed the advance: the execution may start."""
    project = project_of_case(ctx.case)
    _record_full_payment(ctx, project.advance_invoice)
    return {"advance_paid": True}


def schedule_crews(ctx: ActionContext) -> dict:
    """Put the roof and electrical work into the chosen crews' calendars."""
    project = project_of_case(ctx.case)
    created = {}
    for part, label in (("roof", "część dachowa"), ("electrical", "część elektryczna")):
        crew = Crew.objects.get(pk=ctx.data[f"{part}_crew"])
        start, end = planning.moments(*planning.work_period(ctx.data, part))
        event = events.event_create(
            actor=ctx.actor,
            crew=crew,
            title=f"PV {label} — {project.account.name}"[:200],
            start=start,
            end=end,
            location=site_address(project),  # with its town, for navigation
            description=f"Umowa {project.contract.number}",
            subject=ctx.case,
        )
        created[f"{part}_event"] = event.pk
        # The planned days: the crews' tasks fall due on the last one (obieg:due).
        created[f"{part}_from"], created[f"{part}_until"] = planning.work_period(ctx.data, part)
        # The crew's first member gets the task; a crew without Obieg users leaves it
        # in the installers' queue.
        member = crew.members.filter(is_active=True).order_by("pk").first()
        created[f"{part}_installer"] = member.username if member else ""
    return created


def finish_installation(ctx: ActionContext) -> dict:
    """Both parts done: protocol and warranty for the customer, and the final invoice.

    All dated by the day the works were finished, as the crews reported it.
    """
    project = project_of_case(ctx.case)
    completed_on = works_completed_on(ctx.data) or timezone.localdate()
    store_papers(project, ctx.data, author=_author(ctx, project), completed_on=completed_on)
    notify.installation_done(project)
    # Kept for the accountant and the timeline; the drawn signature lives in the protocol.
    done = {"works_completed_on": completed_on, "customer_signature": ""}
    if advances.contract_billing(project.contract).remaining <= 0:
        # The advances covered the whole contract: no final invoice is issued (art. 106f(4)
        # of the VAT act) and, the advance being paid before the works, nothing is owed.
        _close_contract(project)
        return {**done, "final_invoice": "", "final_gross": Decimal("0.00"), "final_due": False}
    # The sale (the service) is done on the protocol's day; the invoice is issued today.
    invoice = advances.final_invoice_issue(
        actor=SCHEDULER, contract=project.contract, sale_date=completed_on
    )
    project.final_invoice = invoice
    project.save(update_fields=["final_invoice"])
    _send_invoice(project, invoice, _author(ctx, project))
    return {
        **done,
        "final_invoice": invoice.number,
        "final_gross": invoice.gross,
        "final_due": True,
    }


def _close_contract(project) -> None:
    sales.contract_update(
        actor=project.owner, contract=project.contract, data={"status": Contract.Status.COMPLETED}
    )


def record_final_payment(ctx: ActionContext) -> dict:
    """The remainder is paid: the contract is completed and the case closes."""
    project = project_of_case(ctx.case)
    _record_full_payment(ctx, project.final_invoice)
    _close_contract(project)
    return {"final_paid": True}


ACTIONS = {
    "pv.prepare_offer": prepare_offer,
    "pv.prepare_contract": prepare_contract,
    "pv.send_contract": send_contract,
    "pv.remind_customer": remind_customer,
    "pv.issue_advance": issue_advance,
    "pv.record_advance_payment": record_advance_payment,
    "pv.schedule_crews": schedule_crews,
    "pv.finish_installation": finish_installation,
    "pv.record_final_payment": record_final_payment,
}
