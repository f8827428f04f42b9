"""Planning a project's dated duties as obligations, and closing them when done.

Every service that creates a duty (a schedule item, a claim, a report, a
measurement) calls `plan` in its own transaction, so the timeline, the
dashboard and the scan never miss one; moving a due date goes through
`move_due`, which recomputes the reminder and escalation moments.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Model

from obieg.solutions.grants import deadlines
from obieg.solutions.grants.models import GrantProject, Obligation

SOURCE_FIELD = {
    Obligation.Kind.PAYMENT: "schedule_item",
    Obligation.Kind.CLAIM: "claim",
    Obligation.Kind.REPORT: "report",
    Obligation.Kind.MEASUREMENT: "measurement",
}


def plan(*, project: GrantProject, kind: str, source: Model, due: date, title: str) -> Obligation:
    """Put a duty of `project` on its timeline, with its reminder and escalation days."""
    remind_on, escalate_on = deadlines.moments(kind, due)
    return Obligation.objects.create(
        project=project,
        kind=kind,
        title=title[:200],
        due_date=due,
        remind_on=remind_on,
        escalate_on=escalate_on,
        **{SOURCE_FIELD[kind]: source},
    )


def move_due(obligation: Obligation, due: date) -> None:
    """A new due date: new reminder and escalation days, and they may be sent again."""
    if obligation.due_date == due:
        return
    remind_on, escalate_on = deadlines.moments(obligation.kind, due)
    Obligation.objects.filter(pk=obligation.pk).update(
        due_date=due,
        remind_on=remind_on,
        escalate_on=escalate_on,
        reminded_at=None,
        escalated_at=None,
    )
    obligation.due_date, obligation.remind_on, obligation.escalate_on = due, remind_on, escalate_on
    obligation.reminded_at = obligation.escalated_at = None


def close(source: Model, *, kind: str, on: date, state: str = Obligation.State.DONE) -> int:
    """Mark the obligation of `source` done (or cancelled); how many rows changed."""
    return Obligation.objects.filter(
        **{SOURCE_FIELD[kind]: source}, state=Obligation.State.OPEN
    ).update(state=state, done_on=on)
