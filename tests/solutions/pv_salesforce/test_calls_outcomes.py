"""Outcomes of calls fed back: the queue, a promised call-back, a lost opportunity, a meeting."""

from __future__ import annotations

import pytest

from obieg.core import clock
from obieg.core.errors import ApplicationError, Conflict, PermissionDenied
from obieg.crm.models import Activity, Opportunity
from obieg.solutions.pv_salesforce import rules
from obieg.solutions.pv_salesforce.call_schedule import build_call_schedules
from obieg.solutions.pv_salesforce.models_queue import CallSlot, QueueItem
from obieg.solutions.pv_salesforce.outcomes import record_outcome
from tests.solutions.pv_salesforce.helpers import MONDAY, TUESDAY, at, enqueue, morning, rule

DURING_CALL = at(MONDAY, 8, 3)


@pytest.fixture
def call(team):
    """Paula's first call of Monday, in hand at 08:03."""
    rule(1, "Web form", 20, source="web_form")
    with morning():
        enqueue(team)
        build_call_schedules(day=MONDAY, sellers=[team.paula])
    return CallSlot.objects.select_related("item").get(salesperson=team.paula)


def record(team, slot, outcome, *, revision=None, **data):
    with clock.frozen(DURING_CALL):
        return record_outcome(
            actor=team.paula,
            slot=slot,
            outcome=outcome,
            revision=slot.item.revision if revision is None else revision,
            data=data,
        )


def state(slot):
    item = QueueItem.objects.get(pk=slot.item_id)
    fresh = CallSlot.objects.get(pk=slot.pk)
    return (fresh.status, fresh.outcome, item.status, item.attempts, item.score, item.callback_at,
            item.revision, item.opportunity.stage)  # fmt: skip


def test_no_answer_puts_the_item_back_lower_in_the_queue(team, call):
    record(team, call, "no_answer")
    item = QueueItem.objects.get(pk=call.item_id)
    assert CallSlot.objects.get(pk=call.pk).status == CallSlot.Status.DONE
    assert (item.status, item.attempts, item.last_outcome) == ("waiting", 1, "no_answer")
    assert item.score == 20 - rules.NO_ANSWER_STEP
    assert item.assigned_to is None
    logged = Activity.objects.get(opportunity=item.opportunity)
    assert (logged.kind, logged.status, logged.outcome) == ("call", "done", "no_answer")


def test_a_call_back_returns_at_the_promised_time_to_the_one_who_promised(team, call):
    record(team, call, "call_back", callback_at="2026-03-03T11:30")
    item = QueueItem.objects.get(pk=call.item_id)
    assert (item.status, item.callback_at, item.assigned_to) == (
        "waiting",
        at(TUESDAY, 11, 30),
        team.paula,
    )
    with morning(TUESDAY):
        build_call_schedules(day=TUESDAY)
    slot = CallSlot.objects.get(day=TUESDAY)
    assert (slot.salesperson, slot.planned_at) == (team.paula, at(TUESDAY, 11, 30))


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        ("2026-03-02T08:00", "in the future"),  # three minutes ago
        ("2026-03-03T18:30", "within working hours (08:00–16:00)"),
        ("2026-03-03T15:55", "within working hours"),  # the call would run past 16:00
        ("2026-03-07T10:00", "not a working day"),  # a Saturday
        ("2026-05-01T10:00", "not a working day"),  # Labour Day
        ("tomorrow", "valid date and time"),
        ("", "Give the date and time"),
    ],
)
def test_a_bad_call_back_is_refused_beside_its_field_and_nothing_changes(
    team, call, moment, message
):
    before = state(call)
    with pytest.raises(ApplicationError) as refused:
        record(team, call, "call_back", callback_at=moment)
    assert message in " ".join(refused.value.field_errors["callback_at"])
    assert state(call) == before
    assert not Activity.objects.exists()


def test_a_call_back_on_a_day_of_absence_is_refused(team, call):
    from obieg.solutions.pv_salesforce.models_queue import Absence

    Absence.objects.create(salesperson=team.paula, starts_on=TUESDAY, ends_on=TUESDAY)
    with pytest.raises(ApplicationError) as refused:
        record(team, call, "call_back", callback_at="2026-03-03T10:00")
    assert "callback_at" in refused.value.field_errors


def test_not_interested_closes_the_opportunity_as_lost_with_the_reason(team, call):
    record(team, call, "not_interested", reason="Has a PV installation already")
    opportunity = Opportunity.objects.get(pk=call.item.opportunity_id)
    assert (opportunity.stage, opportunity.lost_reason) == ("lost", "Has a PV installation already")
    assert opportunity.closed_at == DURING_CALL
    assert QueueItem.objects.get(pk=call.item_id).status == QueueItem.Status.CLOSED


def test_not_interested_needs_a_reason(team, call):
    before = state(call)
    with pytest.raises(ApplicationError) as refused:
        record(team, call, "not_interested", reason="  ")
    assert "reason" in refused.value.field_errors
    assert state(call) == before


def test_a_booked_meeting_goes_to_the_field(team, call):
    from obieg.solutions.pv_salesforce.models_field import Meeting

    record(team, call, "meeting", window_start="2026-03-04T10:00", window_end="2026-03-04T13:00")
    meeting = Meeting.objects.get(opportunity=call.item.opportunity)
    assert (meeting.window_start, meeting.window_end) == (at(date_of(4), 10), at(date_of(4), 13))
    assert QueueItem.objects.get(pk=call.item_id).status == QueueItem.Status.DONE
    assert Activity.objects.get().outcome == "meeting_booked"


def date_of(day: int):
    return MONDAY.replace(day=day)


def test_a_meeting_refused_by_the_field_part_changes_nothing(team, call):
    from obieg.solutions.pv_salesforce.models_field import Meeting

    before = state(call)
    with pytest.raises(ApplicationError) as refused:
        record(
            team, call, "meeting", window_start="2026-03-07T10:00", window_end="2026-03-07T13:00"
        )
    assert "window_start" in refused.value.field_errors
    assert state(call) == before
    assert not Meeting.objects.exists()


def test_a_stale_screen_gets_a_conflict_and_changes_nothing(team, call):
    QueueItem.objects.filter(pk=call.item_id).update(revision=call.item.revision + 1)
    before = state(call)
    with pytest.raises(Conflict):
        record(team, call, "no_answer", revision=call.item.revision)
    assert state(call) == before


def test_an_outcome_is_recorded_once(team, call):
    record(team, call, "no_answer")
    with pytest.raises(Conflict):
        record(team, call, "no_answer", revision=call.item.revision + 1)
    assert QueueItem.objects.get(pk=call.item_id).attempts == 1


def test_only_the_salesperson_of_the_call_records_it(team, call):
    with pytest.raises(PermissionDenied), clock.frozen(DURING_CALL):
        record_outcome(actor=team.piotr, slot=call, outcome="no_answer", revision=1)


def test_an_unknown_outcome_is_refused(team, call):
    with pytest.raises(ApplicationError) as refused:
        record(team, call, "maybe")
    assert "outcome" in refused.value.field_errors
