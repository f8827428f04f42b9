"""The salespeople's working settings, changed by the sales manager in the browser.

Telephone salespeople: their `SellerDay` (hours, working days, calls a day,
minutes a call, active); field salespeople: their `FieldDay` (home base,
hours, working days, active); everyone: their `Absence`s. Every write is one
transaction, audited, and conditional: a working week by its revision, an
absence (which has none) by a fingerprint of the values the page showed — a
change someone made in between is refused (409) instead of being overwritten.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils.translation import gettext as _

from obieg.core import audit, records, roles
from obieg.core.errors import ApplicationError, Conflict
from obieg.solutions.pv_salesforce import call_schedule, queue, routes
from obieg.solutions.pv_salesforce.models_field import FieldDay, Meeting
from obieg.solutions.pv_salesforce.models_queue import Absence, CallSlot, SellerDay


def fingerprint(instance: models.Model | None) -> str:
    """A short digest of the record's audited values, sent with the form that shows them."""
    if instance is None or instance.pk is None:
        return ""
    values = audit.snapshot(instance)
    text = "|".join(f"{name}={values[name]}" for name in sorted(values))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _stale() -> Conflict:
    return Conflict(_("Someone else changed this in the meantime; reload the page and try again."))


def _check_shown(locked: models.Model | None, shown: str | None) -> None:
    if shown is not None and fingerprint(locked) != shown:
        raise _stale()


def _locked(model, **lookup):
    return model._default_manager.select_for_update().filter(**lookup).first()


# --- telephone salespeople --------------------------------------------------------------------


def phone_seller(user_id: int):
    """The active telephone salesperson with this id, or None."""
    return call_schedule.phone_sellers().filter(pk=user_id).first()


@transaction.atomic
def seller_day_save(*, actor, salesperson, data: dict[str, Any], revision: int | None) -> SellerDay:
    """Set a telephone salesperson's hours, working days, calls a day and minutes a call."""
    queue.ensure_may_manage(actor)
    return _save_week(SellerDay, actor=actor, data=data, revision=revision, salesperson=salesperson)


def _save_week(model, *, actor, data: dict[str, Any], revision: int | None, **person):
    """Write a person's working week, made if they have none, refused if changed meanwhile."""
    locked = _locked(model, **person)
    if locked is None:
        if revision is not None:
            raise _stale()  # the page showed settings someone has since removed
        return records.record_create(model, actor=actor, data={**data, **person})
    if revision is None:
        raise _stale()  # the page showed no settings, yet someone made them meanwhile
    return records.record_update(locked, actor=actor, data=data, revision=revision)


def _overlap_errors(queryset, first: date, last: date):
    """A field error when the range overlaps another absence of the same person."""
    other = queryset.filter(starts_on__lte=last, ends_on__gte=first).order_by("starts_on").first()
    if other is None:
        return None
    message = _("It overlaps the absence %(first)s – %(last)s.") % {
        "first": other.starts_on,
        "last": other.ends_on,
    }
    return ApplicationError(message, field_errors={"starts_on": [message]})


@transaction.atomic
def absence_add(*, actor, salesperson, data: dict[str, Any]) -> Absence:
    """Record days a salesperson (telephone or field) is away."""
    queue.ensure_may_manage(actor)
    # One writer of the person's absences at a time: the overlap check stays true.
    _locked(get_user_model(), pk=salesperson.pk)
    mine = Absence.objects.filter(salesperson=salesperson)
    error = _overlap_errors(mine, data["starts_on"], data["ends_on"])
    if error:
        raise error
    return records.record_create(Absence, actor=actor, data={**data, "salesperson": salesperson})


@transaction.atomic
def absence_change(*, actor, absence: Absence, data: dict[str, Any], shown: str | None) -> Absence:
    """Change an absence's days or note (refused when it changed since it was shown)."""
    queue.ensure_may_manage(actor)
    _locked(get_user_model(), pk=absence.salesperson_id)
    locked = _locked(Absence, pk=absence.pk)
    if locked is None:
        raise Conflict(_("This absence no longer exists."))
    _check_shown(locked, shown)
    others = Absence.objects.filter(salesperson_id=locked.salesperson_id).exclude(pk=locked.pk)
    error = _overlap_errors(others, data["starts_on"], data["ends_on"])
    if error:
        raise error
    return records.record_update(locked, actor=actor, data=data)


@transaction.atomic
def absence_delete(*, actor, absence: Absence, shown: str | None) -> None:
    """Remove an absence (the person works on those days again)."""
    queue.ensure_may_manage(actor)
    locked = _locked(Absence, pk=absence.pk)
    if locked is None:
        raise Conflict(_("This absence no longer exists."))
    _check_shown(locked, shown)
    records.record_delete(locked, actor=actor)


def calls_planned_while_away(absence: Absence) -> int:
    """Calls still planned for the absent salesperson on their days away (to hand over)."""
    return CallSlot.objects.filter(
        salesperson_id=absence.salesperson_id,
        status=CallSlot.Status.PLANNED,
        day__gte=absence.starts_on,
        day__lte=absence.ends_on,
    ).count()


# --- field salespeople ------------------------------------------------------------------------


def field_seller(user_id: int):
    """The active field salesperson with this id (with or without their settings), or None."""
    return (
        get_user_model()
        ._default_manager.filter(pk=user_id, is_active=True, groups__name=roles.FIELD_SALES)
        .first()
    )


@transaction.atomic
def field_day_save(*, actor, user, data: dict[str, Any], revision: int | None) -> FieldDay:
    """Set a field salesperson's home base, hours, working days and whether they are planned."""
    queue.ensure_may_manage(actor)
    return _save_week(FieldDay, actor=actor, data=data, revision=revision, user=user)


def visits_planned_while_away(absence: Absence) -> int:
    """Visits still placed with the absent field salesperson on their days away (to re-plan)."""
    start = routes.midnight(absence.starts_on)
    end = routes.midnight(absence.ends_on + timedelta(days=1))
    return Meeting.objects.filter(
        salesperson_id=absence.salesperson_id,
        status=Meeting.Status.PLANNED,
        planned_start__gte=start,
        planned_start__lt=end,
    ).count()
