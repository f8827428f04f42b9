"""The accountant's home: invoices the payment schedules call for, and payments overdue.

Every read is index-ordered and capped, whatever the size of the tables:
pending schedule items over the partial index `schedule_item_pending`
(due_date, id where no invoice), overdue invoices over (status, due_date),
one ordered query per unpaid status merged here (an IN list would sort
every overdue invoice to show the oldest few).
"""

from __future__ import annotations

from datetime import timedelta

from obieg.billing.models import Invoice, ScheduleItem
from obieg.billing.views import can_bill
from obieg.core import access, clock, roles

ROWS = 8
CAP = 99
# Schedule items coming due within this many days are shown before they are due.
AHEAD = timedelta(days=7)
UNPAID = (Invoice.Status.ISSUED, Invoice.Status.PARTLY_PAID)


def is_for(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(roles.ACCOUNTANT)


def to_issue(user) -> dict:
    """Schedule items without an invoice due by a week from today, the earliest first."""
    today = clock.today()
    pending = access.visible(ScheduleItem.objects.filter(invoice__isnull=True), user)
    items = list(
        pending.filter(due_date__lte=today + AHEAD)
        .select_related("contract", "contract__account")
        .order_by("due_date", "id")[:ROWS]
    )
    return {
        "items": items,
        "due_now": pending.filter(due_date__lte=today)[: CAP + 1].count(),
        "today": today,
    }


def overdue(user) -> dict:
    """Unpaid invoices past their due date, the longest overdue first."""
    today = clock.today()
    late = access.visible(Invoice.objects.filter(due_date__lt=today), user)
    found: list[Invoice] = []
    for status in UNPAID:
        found += late.filter(status=status).order_by("due_date", "id")[:ROWS]
    found.sort(key=lambda invoice: (invoice.due_date, invoice.pk))
    return {
        "invoices": found[:ROWS],
        "count": late.filter(status__in=UNPAID)[: CAP + 1].count(),
        "today": today,
    }


def panel(user) -> dict:
    return {
        "to_issue": to_issue(user),
        "overdue": overdue(user),
        "can_bill": can_bill(user),
        "cap": CAP,
    }


def register() -> None:
    from obieg.web import dashboards

    dashboards.add(
        "billing.accountant",
        template="billing/home/accountant.html",
        context=panel,
        visible=is_for,
        order=10,
    )
