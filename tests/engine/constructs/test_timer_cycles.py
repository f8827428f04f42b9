"""Timer cycles: ISO 8601 repeating intervals (with a count, for ever, from a start date) and
cron expressions as Camunda 8 writes them, on the engine's clock."""

from __future__ import annotations

import pytest

from obieg.engine import moments, timers
from obieg.engine.models import CaseStatus
from obieg.engine.runtime import services as engine
from tests.engine.conftest import at
from tests.engine.constructs.conftest import calls_of, deployed
from tests.engine.helpers import open_item, reload


def _tick(frozen, *moment):
    with frozen(at(*moment)):
        timers.fire_due_timers()


def test_twice_a_day_and_every_workday_morning_until_the_contract_is_signed(org, frozen):
    deployed("c8_contract_reminders.bpmn")
    with frozen(at(2026, 12, 18, 9)):  # a Friday
        case = engine.start_case(process="c8_contract_reminders", actor=org.sara)
    assert reload(case).next_timer_at == at(2026, 12, 19, 9)  # R2/PT24H: a day from now

    _tick(frozen, 2026, 12, 19, 9)
    _tick(frozen, 2026, 12, 20, 9)
    assert len(calls_of("remindCustomer")) == 2
    # The weekend had no workday morning; the cron line fires on Monday at 8, then Tuesday.
    assert calls_of("tellSalesperson") == []
    assert reload(case).next_timer_at == at(2026, 12, 21, 8)
    _tick(frozen, 2026, 12, 21, 8)
    _tick(frozen, 2026, 12, 22, 8)
    assert len(calls_of("tellSalesperson")) == 2
    assert len(calls_of("remindCustomer")) == 2  # R2: no third reminder

    # A day the clock missed fires once when it catches up, then keeps to the schedule.
    _tick(frozen, 2026, 12, 24, 9)
    assert len(calls_of("tellSalesperson")) == 3
    assert reload(case).next_timer_at == at(2026, 12, 25, 8)

    engine.complete(work_item=open_item(case, "signContract"), actor=org.sara, data={})
    case = reload(case)
    assert case.status == CaseStatus.COMPLETED and case.next_timer_at is None


def test_a_cycle_from_a_start_date_waits_for_it_then_repeats_daily(org, frozen):
    deployed("c7_kpi_reminders.bpmn")
    with frozen(at(2026, 12, 20, 10)):
        case = engine.start_case(process="c7_kpi_reminders", actor=org.sara)
    assert reload(case).next_timer_at == at(2027, 1, 1, 8)
    _tick(frozen, 2026, 12, 31, 23)
    assert calls_of("remindCoordinator") == []
    _tick(frozen, 2027, 1, 1, 8)
    _tick(frozen, 2027, 1, 2, 8)
    assert len(calls_of("remindCoordinator")) == 2
    assert reload(case).next_timer_at == at(2027, 1, 3, 8)
    engine.complete(work_item=open_item(case, "reportKpi"), actor=org.accountant, data={})
    assert reload(case).status == CaseStatus.COMPLETED


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("R3/PT1H", at(2026, 12, 18, 10)),
        ("R/P1D", at(2026, 12, 19, 9)),
        ("R12/P1M", at(2027, 1, 18, 9)),
        ("R/2026-12-01T08:00/P1W", at(2026, 12, 22, 8)),  # missed weeks are skipped
        ("0 0 8 * * MON-FRI", at(2026, 12, 21, 8)),
        ("0 30 7 ? * MON", at(2026, 12, 21, 7, 30)),
        ("0 12 * * *", at(2026, 12, 18, 12)),  # classic five fields
        ("@daily", at(2026, 12, 19, 0)),
    ],
)
def test_cycles_as_the_tools_write_them(text, first):
    cycle = moments.parse_cycle(text)
    assert cycle.first(at(2026, 12, 18, 9)) == first


@pytest.mark.parametrize(
    "text", ["R3/PT0S", "R/2027-13-01T08:00/P1D", "0 0 8 * * FUNDAY", "every day", "R3/"]
)
def test_what_is_no_cycle_is_refused(text):
    with pytest.raises(moments.MomentError):
        moments.validate_cycle(text)
