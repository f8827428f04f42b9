"""The clock's work: fire due timers and mark overdue tasks, exactly once.

Any number of workers may run this at the same moment: each takes one due
case at a time with SELECT … FOR NO KEY UPDATE SKIP LOCKED (PostgreSQL,
`rows.lock_next_due_case`, the same lock every step takes), so a case being
fired by one worker is skipped by the others, and once fired its
`next_timer_at` has moved on. On SQLite there is one writer at a time
(transactions begin IMMEDIATE), which gives the same guarantee.
"""

from __future__ import annotations

import logging

from django.db import transaction

from obieg.core import clock
from obieg.engine.errors import StepFailed
from obieg.engine.models import CaseEvent, WorkItem, WorkItemStatus
from obieg.engine.runtime import rows
from obieg.engine.runtime.step import Step, StepError

logger = logging.getLogger(__name__)


def fire_due_timers(*, limit: int = 200) -> int:
    """Fire the timers that are due now; the number of cases moved on."""
    from obieg.engine.runtime.services import _failed

    now = clock.now()
    done = 0
    last_id = 0
    while done < limit:
        case_id = None
        try:
            with transaction.atomic(durable=True):
                case = rows.lock_next_due_case(now, last_id)
                if case is None:
                    break
                case_id = last_id = case.pk
                done += 1
                # Nobody typed anything here: a business refusal stops the case too.
                step = Step(case, None)
                instance = step.load()
                step.perform(instance.fire_timers)
                step.save()
        except StepError as error:
            if case_id is None:  # only a step raises StepError, and only once its case is locked
                raise
            failure: StepFailed = _failed(case_id, error, actor=None, pending={"kind": "timer"})
            logger.warning("Case %s stopped: %s", case_id, failure.message)
    return done


def mark_overdue_items(*, limit: int = 500) -> int:
    """Flag open tasks past their due date (once each) and note it in their case's history."""
    now = clock.now()
    with transaction.atomic():
        items = list(
            WorkItem.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=WorkItemStatus.OPEN, overdue=False, due_at__lte=now)
            .order_by("due_at")
            .only("id", "case_id", "element_id", "name", "due_at")[:limit]
        )
        if not items:
            return 0
        WorkItem.objects.filter(pk__in=[item.pk for item in items]).update(overdue=True)
        events = []
        for item in items:
            assert item.due_at is not None  # selected by due_at <= now
            events.append(
                CaseEvent(
                    case_id=item.case_id,
                    at=now,
                    kind=CaseEvent.Kind.OVERDUE,
                    element_id=item.element_id,
                    name=item.name,
                    data={"due_at": item.due_at.isoformat()},
                )
            )
        CaseEvent.objects.bulk_create(events)
    return len(items)


def tick() -> None:
    """One beat of the clock (run by every worker every few seconds)."""
    fire_due_timers()
    mark_overdue_items()
