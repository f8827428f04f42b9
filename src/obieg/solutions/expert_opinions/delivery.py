"""Service-task actions after the client said yes: commission, reminder, opinion, invoice."""

from __future__ import annotations

from datetime import date, timedelta

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext as _

from obieg.core import clock, records
from obieg.core.business_days import is_business_day
from obieg.core.errors import ApplicationError
from obieg.documents.models import Document
from obieg.engine.registry import ActionContext
from obieg.solutions.expert_opinions import notify
from obieg.solutions.expert_opinions.models import ExpertAssignment, Inquiry

REMINDER_BUSINESS_DAYS = 2
REMINDER_TIME = "08:00"


def _inquiry(ctx: ActionContext) -> Inquiry:
    return Inquiry.objects.select_related("account", "offer").get(pk=ctx.case.subject_id)


def _business_days_before(day: date, days: int) -> date:
    while days:
        day -= timedelta(days=1)
        if is_business_day(day):
            days -= 1
    return day


def reminder_moment(due: date, today: date) -> str:
    """When to remind the expert: two business days before the deadline, in the morning.

    Never today (that would remind them the moment they are commissioned),
    and on the deadline's own morning when it is that close.
    """
    day = max(_business_days_before(due, REMINDER_BUSINESS_DAYS), today + timedelta(days=1))
    return f"{min(day, due).isoformat()}T{REMINDER_TIME}"


def commission_expert(ctx: ActionContext) -> dict:
    """Commission the estimate's experts with the deadline (again, when the head extended it)."""
    inquiry = _inquiry(ctx)
    due = ctx.data["opinion_due"]
    requested = inquiry.requested_deadline
    later = bool(requested and due > requested)
    if later and not ctx.data.get("later_than_requested"):
        # The form says so too; this holds for a step an administrator replays with new data.
        from obieg.solutions.expert_opinions.forms import later_than_requested_message

        message = later_than_requested_message(requested)
        raise ApplicationError(message, field_errors={"opinion_due": [message]})
    pending = list(
        inquiry.assignments.exclude(status=ExpertAssignment.Status.DELIVERED).values_list(
            "pk", flat=True
        )
    )
    ExpertAssignment.objects.filter(pk__in=pending).update(
        status=ExpertAssignment.Status.COMMISSIONED, deadline=due
    )
    records.record_update(
        inquiry,
        actor=ctx.actor,
        data={
            "status": Inquiry.Status.COMMISSIONED,
            "opinion_due": due,
            # Who agreed to a later date and why stays with the inquiry (and its audit trail).
            "late_deadline_reason": ctx.data.get("later_reason", "") if later else "",
        },
    )
    note = ctx.data.get("commission_note", "")
    # Read again: the e-mail states the deadline just set.
    for assignment in ExpertAssignment.objects.filter(pk__in=pending).select_related(
        "expert", "inquiry"
    ):
        notify.expert_commissioned(assignment, note)
    return {"reminder_at": reminder_moment(due, timezone.localdate(clock.now()))}


def remind_expert(ctx: ActionContext) -> dict:
    """The deadline is near: remind the commissioned experts by e-mail."""
    inquiry = _inquiry(ctx)
    for assignment in inquiry.assignments.filter(
        status=ExpertAssignment.Status.COMMISSIONED
    ).select_related("expert", "inquiry"):
        notify.expert_commissioned(assignment, reminder=True)
    return {"reminded_on": timezone.localdate(clock.now())}


def record_opinion(ctx: ActionContext) -> None:
    """File the uploaded opinion with the inquiry."""
    inquiry = _inquiry(ctx)
    document = Document.objects.filter(pk=ctx.data["opinion_document"]).first()
    if (
        document is None
        or document.kind != Document.Kind.REPORT
        or document.subject_id != inquiry.pk
        or document.subject_type.model_class() is not Inquiry
    ):
        raise ApplicationError(_("The opinion document does not belong to this inquiry."))
    records.record_update(
        inquiry, actor=ctx.actor, data={"status": Inquiry.Status.OPINION_READY, "opinion": document}
    )


def record_delivery(ctx: ActionContext) -> None:
    """The department delivered the opinion to the client."""
    inquiry = _inquiry(ctx)
    inquiry.assignments.update(status=ExpertAssignment.Status.DELIVERED)
    records.record_update(
        inquiry,
        actor=ctx.actor,
        data={"status": Inquiry.Status.DELIVERED, "delivered_on": ctx.data["delivered_on"]},
    )


def issue_invoice(ctx: ActionContext) -> dict:
    """Issue the VAT invoice for the delivered opinion, from the accepted offer's lines.

    Only when the billing app is installed; a missing company profile or a
    client without NIP stops the case with billing's message, to be fixed
    and retried by an administrator.
    """
    if not apps.is_installed("obieg.billing"):
        return {"invoice_number": ""}
    from obieg.billing import invoicing

    inquiry = _inquiry(ctx)
    lines = [
        {
            "description": line.description,
            "quantity": line.quantity,
            "unit": line.unit,
            "unit_price": line.unit_price,
            "vat_rate": line.vat_rate,
        }
        for line in inquiry.offer.lines.all()
    ]
    reference = f", sygn. akt {inquiry.case_reference}" if inquiry.case_reference else ""
    invoice = invoicing.invoice_issue(
        # Issued by the process itself, as billing's schedules do: no person to check.
        actor=invoicing.SCHEDULER,
        buyer=inquiry.account,
        lines=lines,
        sale_date=inquiry.delivered_on,
        notes=f"Opinia do zapytania {inquiry.number}{reference}",
    )
    records.record_update(inquiry, actor=ctx.actor, data={"invoice_number": invoice.number})
    return {"invoice_number": invoice.number}


ACTIONS = {
    "expert_opinions.commission_expert": commission_expert,
    "expert_opinions.remind_expert": remind_expert,
    "expert_opinions.record_opinion": record_opinion,
    "expert_opinions.record_delivery": record_delivery,
    "expert_opinions.issue_invoice": issue_invoice,
}
