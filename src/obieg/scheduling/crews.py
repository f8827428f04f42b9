"""Services for crews and skills: create, change, members, skills, delete (planners, audited)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from obieg.core import audit, records
from obieg.core.errors import ApplicationError, Conflict
from obieg.core.models import AuditAction
from obieg.scheduling.models import CalDAVAccount, Crew, Skill
from obieg.scheduling.selectors import ensure_can_plan

# The feed token is a secret: it never goes into the history anyone can read.
CREW_SKIPPED = audit.SKIPPED_FIELDS | {"feed_token"}
CREW_FIELDS = {"name", "kind", "company", "working_weekdays", "colour", "active"}


def _snapshot(crew: Crew) -> dict:
    values = audit.snapshot(crew, skipped=CREW_SKIPPED)
    if crew.pk:
        values["members"] = ", ".join(sorted(str(user) for user in crew.members.all())) or None
        values["skills"] = ", ".join(sorted(skill.code for skill in crew.skills.all())) or None
    return values


@transaction.atomic
def crew_create(
    *,
    actor,
    data: dict[str, Any],
    members: Iterable = (),
    skills: Iterable[Skill] = (),
) -> Crew:
    """Add a crew to the plan."""
    ensure_can_plan(actor)
    crew = Crew(**{name: value for name, value in data.items() if name in CREW_FIELDS})
    records.full_clean(crew)
    crew.save()
    crew.members.set(members)
    crew.skills.set(skills)
    audit.record(crew, actor=actor, action="create", changes=audit.diff({}, _snapshot(crew)))
    return crew


@transaction.atomic
def crew_update(
    *,
    actor,
    crew: Crew,
    data: dict[str, Any],
    members: Iterable | None = None,
    skills: Iterable[Skill] | None = None,
    revision: int | None = None,
) -> Crew:
    """Change a crew's details, members or skills; 409 when `revision` is stale."""
    ensure_can_plan(actor)
    locked = Crew.objects.select_for_update().get(pk=crew.pk)
    if revision is not None and locked.revision != revision:
        raise Conflict(
            _("This record was changed by someone else in the meantime; reload it and try again.")
        )
    before = _snapshot(locked)
    for name, value in data.items():
        if name in CREW_FIELDS:
            setattr(locked, name, value)
    records.full_clean(locked)
    if members is not None:
        locked.members.set(members)
    if skills is not None:
        locked.skills.set(skills)
    changes = audit.diff(before, _snapshot(locked))
    if not changes:
        return locked
    locked.revision += 1
    locked.save()
    audit.record(locked, actor=actor, action="update", changes=changes)
    return locked


@transaction.atomic
def crew_delete(*, actor, crew: Crew) -> None:
    """Remove a crew that never had work planned; one with a history is made inactive instead.

    Its events (even cancelled ones) are the record of what was planned and
    invoiced, so a crew that has any stays, inactive, with them.
    """
    ensure_can_plan(actor)
    locked = Crew.objects.select_for_update().filter(pk=crew.pk).first()
    if locked is None:
        return
    if locked.events.exists():
        message = _("This crew has work in its plan or history; make it inactive instead.")
        raise ApplicationError(message, field_errors={"active": [message]})
    values = _snapshot(locked)
    audit.record(
        locked,
        actor=actor,
        action=AuditAction.DELETE,
        changes={name: [value, None] for name, value in values.items() if value is not None},
    )
    account_id = locked.caldav_id
    locked.delete()
    if account_id:
        from obieg.scheduling import tasks

        account = CalDAVAccount.objects.filter(pk=account_id).first()
        if account is not None:
            grant_id = account.grant_id
            account.delete()
            if grant_id:
                tasks.revoke_google_grant.enqueue(grant_id)


@transaction.atomic
def skill_create(*, actor, code: str, name: str) -> Skill:
    """Add a kind of work crews can be chosen by ("roof", "electrical" …)."""
    ensure_can_plan(actor)
    skill = Skill(code=code.strip(), name=name.strip())
    records.full_clean(skill)
    skill.save()
    audit.record_create(skill, actor=actor)
    return skill


@transaction.atomic
def skill_rename(*, actor, skill: Skill, name: str) -> Skill:
    """Change a skill's name; its code stays (filters and solutions refer to it)."""
    ensure_can_plan(actor)
    locked = Skill.objects.select_for_update().get(pk=skill.pk)
    before = audit.snapshot(locked)
    locked.name = name.strip()
    records.full_clean(locked)
    locked.save()
    audit.record_update(locked, actor=actor, before=before)
    return locked
