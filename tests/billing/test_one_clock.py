"""Billing reads the one clock of Obieg: a frozen day is the day invoices are issued and judged.

Before, billing read the wall clock while the engine's timers read the
engine's clock, so a replayed or tested day issued schedule invoices dated
the real today and judged them overdue by the real today.
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from obieg.billing import schedules
from obieg.billing.invoicing import SCHEDULER
from obieg.billing.models import ScheduleItem
from obieg.core import clock
from tests.billing.conftest import make_contract

WARSAW = ZoneInfo("Europe/Warsaw")


def test_a_schedule_invoice_is_issued_on_the_clocks_day_not_the_wall_clocks(org, profile, buyer):
    contract = make_contract(buyer, [("Usługa doradcza", "1", "1000.00", "23")])
    ScheduleItem.objects.create(
        contract=contract, due_date=date(2024, 3, 4), amount=Decimal("615.00"), kind="instalment"
    )
    with clock.frozen(datetime(2024, 3, 4, 23, 30, tzinfo=WARSAW)):
        report = schedules.issue_due_invoices(actor=SCHEDULER)
        [invoice] = report.issued
        assert invoice.issue_date == date(2024, 3, 4)
        assert not invoice.is_overdue
    with clock.frozen(datetime(2024, 6, 3, 9, tzinfo=WARSAW)):
        assert invoice.is_overdue


def test_nothing_is_due_before_the_clocks_day(org, profile, buyer):
    contract = make_contract(buyer, [("Usługa doradcza", "1", "1000.00", "23")])
    ScheduleItem.objects.create(
        contract=contract, due_date=date(2024, 3, 4), amount=Decimal("615.00"), kind="instalment"
    )
    with clock.frozen(datetime(2024, 3, 1, 12, tzinfo=WARSAW)):
        assert not schedules.due_items_exist()
        assert schedules.issue_due_invoices(actor=SCHEDULER).issued == []
