"""The daily deadline scan of grant projects: invoices out, payments followed, duties chased.

Safe to run from any number of workers at once and twice in a row: each
e-mail is sent only by whoever wins the conditional UPDATE that marks it
(`invoice_mailed_at`, `reminded_at`, `escalated_at` from NULL), in the same
transaction that queues the mail. The reads are indexed ranges over open
obligations (see the partial indexes on `Obligation`), so the scan's cost
grows with what is due, not with how many projects there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import QuerySet

from obieg.billing.models import Invoice
from obieg.core import clock
from obieg.solutions.grants import links, notify, obligations
from obieg.solutions.grants.models import Obligation


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


def _open_payments() -> QuerySet[Obligation]:
    return Obligation.objects.filter(kind=Obligation.Kind.PAYMENT, state=Obligation.State.OPEN)


def mail_new_invoices(report: ScanReport) -> None:
    """Each invoice the schedule produced goes to the client once; its due date is the duty's."""
    pending = _open_payments().filter(
        schedule_item__invoice__isnull=False, invoice_mailed_at__isnull=True
    )
    for pk in list(pending.values_list("pk", flat=True)):
        with transaction.atomic():
            if not _won(pk, invoice_mailed_at=clock.now()):
                continue
            obligation = Obligation.objects.select_related(
                "project__account",
                "project__coordinator",
                "project__advisor",
                "schedule_item__invoice",
            ).get(pk=pk)
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


def _loaded(pk: int) -> Obligation:
    return Obligation.objects.select_related(
        "project__account",
        "project__coordinator",
        "project__advisor",
        "schedule_item__invoice",
        "measurement",
    ).get(pk=pk)


def remind(on: date, report: ScanReport) -> None:
    for pk in list(
        _due("reminded_at", on).order_by("remind_on", "id").values_list("pk", flat=True)
    ):
        with transaction.atomic():
            if not _won(pk, reminded_at=clock.now()):
                continue
            obligation = _loaded(pk)
            if obligation.kind == Obligation.Kind.PAYMENT:
                notify.payment_reminder(obligation, obligation.schedule_item.invoice)
            elif obligation.kind == Obligation.Kind.MEASUREMENT:
                notify.staff_reminder(
                    obligation, link=links.measurement_url(obligation.measurement)
                )
            else:
                notify.staff_reminder(obligation)
            report.reminded.append(pk)


def escalate(on: date, report: ScanReport) -> None:
    for pk in list(
        _due("escalated_at", on).order_by("escalate_on", "id").values_list("pk", flat=True)
    ):
        with transaction.atomic():
            if not _won(pk, escalated_at=clock.now()):
                continue
            notify.escalation(_loaded(pk))
            report.escalated.append(pk)


def scan(on: date | None = None) -> ScanReport:
    """Mail new invoices, close paid ones, then send every reminder and escalation that is due."""
    on = on or clock.today()
    report = ScanReport()
    mail_new_invoices(report)
    close_paid(on, report)
    remind(on, report)
    escalate(on, report)
    return report
