"""The clock's reminders: a task given to a person, due today, overdue — each told once."""

from datetime import timedelta

from obieg.crm.models import Activity
from obieg.engine import timers
from obieg.engine.models import CaseEvent, WorkItem
from obieg.engine.runtime import services as engine
from obieg.notifications import reminders
from obieg.notifications.models import Kind, Notification, Preferences, ScanMark
from tests.factories import ActivityFactory
from tests.notifications.conftest import at, notes_of, run_jobs


def start_call_back(org, person="sara"):
    return engine.start_case(
        process="call_back", actor=org.manager, data={"person": person}, title="Kowalski"
    )


def item(case, element: str) -> WorkItem:
    return WorkItem.objects.get(case=case, element_id=element, status="open")


def test_a_task_created_for_a_person_tells_them_and_nobody_else(org, call_back_process, frozen):
    with frozen(at(2026, 12, 1, 9)):
        run_jobs()  # the jobs start reading here
        case = start_call_back(org)
        run_jobs()

    [notification] = notes_of(org.sara)
    call = item(case, "call")
    assert (notification.kind, notification.source_id) == (Kind.ASSIGNED, call.pk)
    assert notification.title == "Call the customer back"
    assert notification.url == f"/work/tasks/{call.pk}/"
    assert notification.due_at == at(2026, 12, 1, 11)
    # The "note" task waits in the salespeople's queue: nobody's yet, nobody told.
    assert Notification.objects.filter(kind=Kind.ASSIGNED).count() == 1


def test_the_first_run_starts_from_now_not_from_history(org, call_back_process, frozen):
    with frozen(at(2026, 12, 1, 9)):
        start_call_back(org)
        run_jobs()

    assert Notification.objects.filter(kind=Kind.ASSIGNED).count() == 0


def test_a_task_handed_over_tells_the_new_person_not_the_manager(org, call_back_process, frozen):
    with frozen(at(2026, 12, 1, 9)):
        run_jobs()
        case = start_call_back(org)
        engine.reassign(work_item=item(case, "call"), actor=org.manager, to=org.tomasz)
        run_jobs()
        # A manager taking a task for themselves is not news to them.
        engine.reassign(work_item=item(case, "call"), actor=org.manager, to=org.manager)
        run_jobs()

    [handed] = notes_of(org.tomasz)
    assert handed.kind == Kind.ASSIGNED
    assert handed.actor == org.manager
    assert notes_of(org.manager) == []


def test_claiming_a_queued_task_oneself_is_not_news(org, call_back_process, frozen):
    with frozen(at(2026, 12, 1, 9)):
        run_jobs()
        case = start_call_back(org)
        engine.claim(work_item=item(case, "note"), actor=org.tomasz)
        run_jobs()

    assert notes_of(org.tomasz) == []


def test_an_overdue_task_tells_its_person_once(org, call_back_process, frozen):
    with frozen(at(2026, 12, 1, 9)):
        run_jobs()
        case = start_call_back(org)
        run_jobs()
    with frozen(at(2026, 12, 1, 11, 5)):
        timers.mark_overdue_items()  # the engine's own beat
        run_jobs()
        run_jobs()
    with frozen(at(2026, 12, 1, 14)):
        timers.mark_overdue_items()
        run_jobs()

    overdue = notes_of(org.sara, kind=Kind.OVERDUE)
    assert [n.source_id for n in overdue] == [item(case, "call").pk]
    assert overdue[0].due_at == at(2026, 12, 1, 11)
    # The queued "note" task fell overdue too, but it is nobody's.
    assert Notification.objects.filter(kind=Kind.OVERDUE).count() == 1


def test_a_steps_many_events_offer_each_of_its_tasks_once(org, call_back_process, frozen):
    """Every overdue or hand-over event of a step used to note every task of the step again:
    N events x M tasks notes built and offered in one transaction, for M kept."""
    with frozen(at(2026, 12, 1, 9)):
        run_jobs()
        case = start_call_back(org)
        run_jobs()
    call = item(case, "call")
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case, kind=kind, element_id="call", actor=org.manager, at=at(2026, 12, 1, 12)
        )
        for kind in [CaseEvent.Kind.OVERDUE] * 5 + [CaseEvent.Kind.REASSIGNED] * 3
    )
    with frozen(at(2026, 12, 1, 12, 5)):  # past the lag the scan leaves to late commits
        offered = reminders.handed_over_and_overdue()

    assert offered == 2  # one "overdue" and one "assigned" note of the one task
    # She was told the task was hers when it was made: the hand-overs' note is that one.
    told = sorted((n.kind, n.source_id, n.actor_id) for n in notes_of(org.sara))
    assert told == sorted([(Kind.ASSIGNED, call.pk, None), (Kind.OVERDUE, call.pk, None)])


def test_a_task_due_later_today_is_a_reminder_once_a_day(org, call_back_process, frozen):
    with frozen(at(2026, 12, 1, 9)):
        run_jobs()
        case = start_call_back(org)
        run_jobs()
    with frozen(at(2026, 12, 1, 9, 30)):
        run_jobs()  # ten minutes have passed since the last look: looked again, nothing new

    [due] = notes_of(org.sara, kind=Kind.DUE_TODAY)
    assert due.source_id == item(case, "call").pk
    assert due.key.endswith(":2026-12-01")


def test_a_task_due_tomorrow_is_no_reminder_today(org, call_back_process, frozen):
    # Started at 23:00, due in two hours: tomorrow, 01:00.
    with frozen(at(2026, 12, 1, 23)):
        run_jobs()
        start_call_back(org)
        run_jobs()

    assert notes_of(org.sara, kind=Kind.DUE_TODAY) == []


def test_planned_activities_today_are_reminders_and_late_ones_overdue(org, sara_account, frozen):
    call = ActivityFactory(
        account=sara_account,
        owner=org.sara,
        status=Activity.Status.PLANNED,
        subject="Oddzwonić do pana Kowalskiego",
        occurs_at=at(2026, 12, 1, 15),
    )
    done = ActivityFactory(
        account=sara_account,
        owner=org.sara,
        status=Activity.Status.DONE,
        occurs_at=at(2026, 12, 1, 12),
    )
    with frozen(at(2026, 12, 1, 8)):
        run_jobs()
    with frozen(at(2026, 12, 1, 15, 30)):
        run_jobs()  # within the hour's grace: not late yet
    assert notes_of(org.sara, kind=Kind.OVERDUE) == []
    with frozen(at(2026, 12, 1, 16, 5)):
        run_jobs()
    with frozen(at(2026, 12, 1, 17)):
        run_jobs()

    [due] = notes_of(org.sara, kind=Kind.DUE_TODAY)
    [late] = notes_of(org.sara, kind=Kind.OVERDUE)
    assert due.source_id == late.source_id == call.pk
    assert late.url == f"/accounts/{sara_account.pk}/#activity-{call.pk}"
    assert not Notification.objects.filter(source_id=done.pk, source="activity").exists()


def test_an_activity_done_in_time_is_never_overdue(org, sara_account, frozen):
    call = ActivityFactory(
        account=sara_account,
        owner=org.sara,
        status=Activity.Status.PLANNED,
        occurs_at=at(2026, 12, 1, 15),
    )
    with frozen(at(2026, 12, 1, 14)):
        run_jobs()
    call.status = Activity.Status.DONE
    call.save()
    with frozen(at(2026, 12, 1, 18)):
        run_jobs()

    assert notes_of(org.sara, kind=Kind.OVERDUE) == []


def test_kinds_a_person_turned_off_are_not_made(org, call_back_process, frozen):
    Preferences.objects.create(user=org.sara, assigned=False, due_today=False)
    with frozen(at(2026, 12, 1, 9)):
        run_jobs()
        start_call_back(org)
        run_jobs()
    with frozen(at(2026, 12, 1, 11, 5)):
        timers.mark_overdue_items()
        run_jobs()

    assert [n.kind for n in notes_of(org.sara)] == [Kind.OVERDUE]


def test_a_job_that_ran_moments_ago_waits_its_interval(org, sara_account, frozen):
    ActivityFactory(
        account=sara_account,
        owner=org.sara,
        status=Activity.Status.PLANNED,
        occurs_at=at(2026, 12, 1, 15),
    )
    with frozen(at(2026, 12, 1, 8)):
        reminders.due_today()
    # The activity moved to today after the job ran; the job looks again only after ten minutes.
    ActivityFactory(
        account=sara_account,
        owner=org.sara,
        status=Activity.Status.PLANNED,
        occurs_at=at(2026, 12, 1, 16),
    )
    with frozen(at(2026, 12, 1, 8, 5)):
        assert reminders.due_today() == 0
    with frozen(at(2026, 12, 1, 8) + reminders.DUE_TODAY_EVERY):
        reminders.due_today()

    assert len(notes_of(org.sara, kind=Kind.DUE_TODAY)) == 2


def test_read_notifications_are_forgotten_after_ninety_days(org, frozen):
    old = Notification.objects.create(
        recipient=org.sara,
        kind=Kind.MENTION,
        source="activity",
        source_id=1,
        key="mention:activity:1",
        title="x",
        url="/",
        read_at=at(2026, 8, 1, 9),
    )
    unread = Notification.objects.create(
        recipient=org.sara,
        kind=Kind.MENTION,
        source="activity",
        source_id=2,
        key="mention:activity:2",
        title="y",
        url="/",
        created_at=at(2026, 8, 1, 9),
    )
    with frozen(at(2026, 8, 1, 9) + timedelta(days=91)):
        reminders.prune_read()

    assert list(Notification.objects.values_list("pk", flat=True)) == [unread.pk]
    assert not Notification.objects.filter(pk=old.pk).exists()


def test_the_mark_moves_only_over_rows_older_than_the_lag(org, call_back_process, frozen):
    # A transaction holding a smaller id may still commit after a bigger one was read:
    # the mark waits before rows younger than the lag, so such a row is still read later.
    with frozen(at(2026, 12, 1, 9)):
        run_jobs()
        case = start_call_back(org)
        run_jobs()
    first = case.work_items.order_by("pk").first().pk
    assert ScanMark.objects.get(name="work_items_assigned").position < first
    with frozen(at(2026, 12, 1, 9) + reminders.LAG + timedelta(seconds=1)):
        run_jobs()

    last = case.work_items.order_by("pk").last().pk
    assert ScanMark.objects.get(name="work_items_assigned").position == last
    assert len(notes_of(org.sara, kind=Kind.ASSIGNED)) == 1  # read three times, told once


def test_a_busy_minute_is_read_in_batches(org, call_back_process, frozen, monkeypatch):
    monkeypatch.setattr(reminders, "BATCH", 2)
    with frozen(at(2026, 12, 1, 9)):
        run_jobs()
        cases = [start_call_back(org) for _ in range(3)]  # six tasks, three of them Sara's
    with frozen(at(2026, 12, 1, 9, 5)):
        for _ in range(3):
            reminders.new_assignments()

    told = sorted(n.source_id for n in notes_of(org.sara, kind=Kind.ASSIGNED))
    assert told == sorted(c.work_items.get(element_id="call").pk for c in cases)
