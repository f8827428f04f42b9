"""Due dates in Polish business days and in hours; overdue tasks marked by the clock."""

from datetime import date

from obieg.core.business_days import add_business_days, business_days_between, is_business_day
from obieg.engine import timers
from obieg.engine.models import CaseEvent
from obieg.engine.runtime import services as engine
from tests.engine.conftest import at, deploy_samples
from tests.engine.helpers import open_item


def test_christmas_eve_2026_is_a_polish_public_holiday():
    assert not is_business_day(date(2026, 12, 24))
    assert not is_business_day(date(2026, 12, 26))
    assert is_business_day(date(2026, 12, 23))


def test_three_business_days_from_23_december_skip_the_holidays_and_the_weekend():
    assert add_business_days(date(2026, 12, 23), 3) == date(2026, 12, 30)
    assert add_business_days(date(2026, 4, 3), 1) == date(2026, 4, 7)  # Easter Monday skipped
    assert business_days_between(date(2026, 12, 23), date(2026, 12, 30)) == 3


def test_a_task_due_in_three_business_days_is_due_on_the_third(org, frozen):
    deploy_samples("due_dates.bpmn")
    with frozen(at(2026, 12, 23, 10)):
        case = engine.start_case(process="complaint", actor=org.manager)
    assert open_item(case, "answer").due_at == at(2026, 12, 30, 10)
    assert open_item(case, "acknowledge").due_at == at(2026, 12, 23, 12)
    assert open_item(case, "file").due_at is None


def test_overdue_tasks_are_marked_once_by_the_clock(org, frozen):
    deploy_samples("due_dates.bpmn")
    with frozen(at(2026, 12, 23, 10)):
        case = engine.start_case(process="complaint", actor=org.manager)
    acknowledge = open_item(case, "acknowledge")
    assert not acknowledge.overdue

    with frozen(at(2026, 12, 23, 12, 30)):
        assert timers.mark_overdue_items() == 1
        assert timers.mark_overdue_items() == 0
        acknowledge.refresh_from_db()
        assert acknowledge.overdue and acknowledge.is_overdue

    assert not open_item(case, "answer").overdue
    event = case.events.get(kind=CaseEvent.Kind.OVERDUE)
    assert event.element_id == "acknowledge"
