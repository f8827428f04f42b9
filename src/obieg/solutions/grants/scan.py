"""The daily deadline scan of grant projects: invoices out, payments followed, duties chased.

Safe to run from any number of workers at once and twice in a row: each
e-mail is sent only by whoever marks its obligation (`invoice_mailed_at`,
`reminded_at`, `escalated_at` from NULL), in the same transaction that
queues the mail. Obligations are taken in batches: on PostgreSQL the batch's
unmarked rows are locked with SKIP LOCKED (a second scanner takes others)
and marked by one UPDATE; SQLite has no row locks, so there each row is won
by its own conditional UPDATE. The reads are indexed ranges over open
obligations (the partial indexes on `Obligation`), so the scan's cost grows
with what is due, not with how many projects there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.db.models import QuerySet

from obieg.billing.models import Invoice
from obieg.core import clock
from obieg.solutions.grants import links, notify, obligations
from obieg.solutions.grants.models import Obligation

BATCH = 200
RELATED = (
    "project__account",
    "project__coordinator",
    "project__advisor",
    "schedule_item__invoice",
    "measurement",
)


@dataclass
class ScanReport:
    invoices_mailed: list[int] = field(default_factory=list)
    payments_done: int = 0
    reminded: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)


def _won(pk: int, **marks) -> bool:
    """Set a NULL mark on an open obligation; True only for the one caller that did."""
    unset = {f"{name}__isnull": True for name in marks}
    return bool(
        Obligation.objects.filter(pk=pk, state=Obligation.State.OPEN, **unset).update(**marks)
    )


def _taken(ids: list[int], mark: str) -> list[Obligation]:
    """Of `ids`, the open obligations still without `mark`, now marked by this caller.

    Call inside the transaction that queues their e-mails.
    """
    now = clock.now()
    unmarked = Obligation.objects.filter(
        pk__in=ids, state=Obligation.State.OPEN, **{f"{mark}__isnull": True}
    ).select_related(*RELATED)
    if not connection.features.has_select_for_update_skip_locked:
        return [row for row in unmarked if _won(row.pk, **{mark: now})]
    # Locked by us and re-read unmarked after the lock: every one of them is ours to mark.
    rows = list(unmarked.select_for_update(skip_locked=True, of=("self",)))
    Obligation.objects.filter(pk__in=[row.pk for row in rows]).update(**{mark: now})
    return rows


def _batches(ids: list[int]):
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _open_payments() -> QuerySet[Obligation]:
    return Obligation.objects.filter(kind=Obligation.Kind.PAYMENT, state=Obligation.State.OPEN)


def mail_new_invoices(report: ScanReport) -> None:
    """Each invoice the schedule produced goes to the client once; its due date is the duty's."""
    pending = _open_payments().filter(
        schedule_item__invoice__isnull=False, invoice_mailed_at__isnull=True
    )
    for batch in _batches(list(pending.order_by("id").values_list("pk", flat=True))):
        with transaction.atomic():
            for obligation in _taken(batch, "invoice_mailed_at"):
                invoice = obligation.schedule_item.invoice
                obligations.move_due(obligation, invoice.due_date)
                notify.invoice_to_client(obligation.project, invoice)
                report.invoices_mailed.append(invoice.pk)


def close_paid(on: date, report: ScanReport) -> None:
    paid = _open_payments().filter(schedule_item__invoice__status=Invoice.Status.PAID)
    ids = list(paid.values_list("pk", flat=True))
    report.payments_done += Obligation.objects.filter(pk__in=ids, state="open").update(
        state=Obligation.State.DONE, done_on=on
    )


def _due(mark: str, on: date) -> QuerySet[Obligation]:
    moment = "remind_on" if mark == "reminded_at" else "escalate_on"
    due = Obligation.objects.filter(
        state=Obligation.State.OPEN, **{f"{mark}__isnull": True, f"{moment}__lte": on}
    )
    # An invoice is chased only once it exists and was sent; until then nothing is owed.
    return due.exclude(kind=Obligation.Kind.PAYMENT, invoice_mailed_at__isnull=True)


def _remind(obligation: Obligation) -> None:
    if obligation.kind == Obligation.Kind.PAYMENT:
        notify.payment_reminder(obligation, obligation.schedule_item.invoice)
    elif obligation.kind == Obligation.Kind.MEASUREMENT:
        notify.staff_reminder(obligation, link=links.measurement_url(obligation.measurement))
    else:
        notify.staff_reminder(obligation)


def remind(on: date, report: ScanReport) -> None:
    due = _due("reminded_at", on).order_by("remind_on", "id").values_list("pk", flat=True)
    for batch in _batches(list(due)):
        with transaction.atomic():
            for obligation in _taken(batch, "reminded_at"):
                _remind(obligation)
                report.reminded.append(obligation.pk)


def escalate(on: date, report: ScanReport) -> None:
    due = _due("escalated_at", on).order_by("escalate_on", "id").values_list("pk", flat=True)
    for batch in _batches(list(due)):
        with transaction.atomic():
            for obligation in _taken(batch, "escalated_at"):
                notify.escalation(obligation)
                report.escalated.append(obligation.pk)


def scan(on: date | None = None) -> ScanReport:
    """Mail new invoices, close paid ones, then send every reminder and escalation that is due."""
    on = on or clock.today()
    report = ScanReport()
    mail_new_invoices(report)
    close_paid(on, report)
    remind(on, report)
    escalate(on, report)
    return report
