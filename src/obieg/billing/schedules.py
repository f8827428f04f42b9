"""Payment schedules: planned payments of a contract, and issuing the invoices that fall due.

`issue_due_invoices` may run from any number of workers at once, and twice
in a row: each item is taken in its own transaction with its row locked
(SKIP LOCKED on PostgreSQL, so workers share the work instead of queueing)
and re-checked for an invoice after the lock; the one-to-one link to the
invoice is the last guard. So an item never gets a second invoice.

A contract's items are invoiced in their order: the final invoice settles
what the earlier ones did not, so issued ahead of an advance it would bill
the advance's amount too, and the advance would then be refused for good.
An item therefore waits (blocking) for the workers holding its contract's
earlier items, and is left for the next run if one of them is still without
an invoice after that — refused, or its worker died mid-transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from obieg.billing.advances import (
    advance_invoice_issue,
    final_invoice_issue,
    instalment_invoice_issue,
)
from obieg.billing.invoicing import ensure_can_bill, refuse, today
from obieg.billing.models import Invoice, ScheduleItem
from obieg.core import audit, records
from obieg.core.errors import ApplicationError
from obieg.core.money import ZERO
from obieg.sales.models import Contract


@transaction.atomic
def schedule_item_add(
    *,
    actor,
    contract: Contract,
    due_date: date,
    amount: Decimal,
    kind: str,
    description: str = "",
) -> ScheduleItem:
    """Plan a payment of a contract: the invoice is issued on `due_date`."""
    ensure_can_bill(actor)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if kind not in ScheduleItem.Kind.values:
        raise refuse(_("Unknown kind of payment."), "kind")
    items = ScheduleItem.objects.filter(contract=contract)
    if kind == ScheduleItem.Kind.FINAL and items.filter(kind=kind).exists():
        raise refuse(_("The contract already has its final payment planned."), "kind")
    planned = items.aggregate(total=Sum("amount"))["total"] or ZERO
    if amount is not None and planned + amount > contract.value_gross:
        raise refuse(
            _(
                "The schedule would exceed the contract's gross value of %(value)s zł "
                "(%(planned)s zł planned so far)."
            )
            % {"value": contract.value_gross, "planned": planned},
            "amount",
        )
    item = ScheduleItem(
        contract=contract, due_date=due_date, amount=amount, kind=kind, description=description
    )
    records.full_clean(item)
    item.save()
    audit.record_create(item, actor=actor)
    return item


@transaction.atomic
def schedule_item_remove(*, actor, item: ScheduleItem) -> None:
    """Take a planned payment off the schedule; one already invoiced stays."""
    ensure_can_bill(actor)
    item = ScheduleItem.objects.select_for_update().get(pk=item.pk)
    if item.invoice_id is not None:
        raise refuse(_("This payment has been invoiced; it stays on the schedule."))
    pk = item.pk
    item.delete()
    audit.record_delete(item, actor=actor, pk=pk)


def _issue_for(item: ScheduleItem, *, actor, on: date) -> Invoice:
    if item.kind == ScheduleItem.Kind.ADVANCE:
        return advance_invoice_issue(
            actor=actor,
            contract=item.contract,
            amount=item.amount,
            issue_date=on,
            notes=item.description,
        )
    if item.kind == ScheduleItem.Kind.INSTALMENT:
        return instalment_invoice_issue(
            actor=actor,
            contract=item.contract,
            amount=item.amount,
            description=item.description,
            issue_date=on,
        )
    return final_invoice_issue(actor=actor, contract=item.contract, issue_date=on)


@dataclass
class IssueReport:
    issued: list[Invoice] = field(default_factory=list)
    refused: list[tuple[ScheduleItem, str]] = field(default_factory=list)


def _take(pk: int) -> ScheduleItem | None:
    """Lock the item if it is still waiting for its invoice and no other worker holds it."""
    return (
        ScheduleItem.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("contract")
        .filter(pk=pk, invoice__isnull=True)
        .first()
    )


def _earlier_without_invoice(item: ScheduleItem) -> ScheduleItem | None:
    """The first earlier item of the contract still without an invoice, once nobody holds it.

    The lock waits for a worker issuing one of them; rows it invoiced meanwhile
    no longer match (PostgreSQL re-checks the condition on the row it waited for).
    Waiting only on earlier items, in one order, cannot deadlock.
    """
    earlier = ScheduleItem.objects.filter(
        Q(due_date__lt=item.due_date) | Q(due_date=item.due_date, pk__lt=item.pk),
        contract_id=item.contract_id,
        invoice__isnull=True,
    )
    return earlier.select_for_update(of=("self",)).order_by("due_date", "id").first()


def issue_item(item_pk: int, *, actor, on: date, report: IssueReport) -> None:
    with transaction.atomic():
        item = _take(item_pk)
        if item is None:
            return
        waiting_for = _earlier_without_invoice(item)
        if waiting_for is not None:
            message = _("Waits until the earlier payment due %(date)s is invoiced.") % {
                "date": waiting_for.due_date.isoformat()
            }
            item.last_error = message[:500]
            item.save(update_fields=["last_error", "updated_at"])
            report.refused.append((item, message))
            return
        try:
            with transaction.atomic():  # a refusal rolls back the invoice, not the error note
                invoice = _issue_for(item, actor=actor, on=on)
        except ApplicationError as error:
            item.last_error = error.message[:500]
            item.save(update_fields=["last_error", "updated_at"])
            report.refused.append((item, error.message))
            return
        before = audit.snapshot(item)
        item.invoice = invoice
        item.last_error = ""
        item.save(update_fields=["invoice", "last_error", "updated_at"])
        audit.record_update(item, actor=actor, before=before)
        report.issued.append(invoice)


def due_items_exist(on: date | None = None) -> bool:
    """Whether any schedule item due by `on` still waits for its invoice."""
    return ScheduleItem.objects.filter(invoice__isnull=True, due_date__lte=on or today()).exists()


def issue_due_invoices(*, actor, on: date | None = None, limit: int | None = None) -> IssueReport:
    """Issue the invoice of every schedule item due on or before `on` that has none yet."""
    ensure_can_bill(actor)
    on = on or today()
    pending = ScheduleItem.objects.filter(invoice__isnull=True, due_date__lte=on).order_by(
        "due_date", "id"
    )
    report = IssueReport()
    # Ids first, then one short transaction per item: a long batch never holds locks.
    for pk in pending.values_list("pk", flat=True)[:limit]:
        issue_item(pk, actor=actor, on=on, report=report)
    return report
