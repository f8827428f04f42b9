"""What a telephone salesperson records at the end of a call, fed back into the queue.

Every outcome is one transaction and a conditional write: the slot must
still be planned and the item's revision the one the screen showed, else
nothing changes and the salesperson is told someone else got there first
(409). Each outcome is also kept as a done phone-call activity of the
account, so the next caller sees what came before.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from obieg.core import audit, clock
from obieg.core.errors import ApplicationError, Conflict, PermissionDenied
from obieg.crm.models import Activity, Opportunity
from obieg.solutions.pv_salesforce import call_schedule, deals, queue
from obieg.solutions.pv_salesforce.models_queue import (
    CallOutcome,
    CallSlot,
    QueueItem,
    SellerDay,
)

ACTIVITY_OUTCOME = {
    CallOutcome.NO_ANSWER: Activity.Outcome.NO_ANSWER,
    CallOutcome.CALL_BACK: Activity.Outcome.CALL_BACK,
    CallOutcome.NOT_INTERESTED: Activity.Outcome.NEGATIVE,
    CallOutcome.MEETING: Activity.Outcome.MEETING_BOOKED,
}


def _refuse(field: str, message: str):
    raise ApplicationError(message, field_errors={field: [message]})


def parse_moment(raw: str, field: str) -> datetime:
    """A datetime-local value from a form, in Warsaw time; a field error when unreadable."""
    raw = (raw or "").strip()
    if not raw:
        _refuse(field, _("Give the date and time."))
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        _refuse(field, _("Enter a valid date and time."))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def check_callback(seller, moment: datetime) -> None:
    """Refuse a call-back in the past or outside the salesperson's working hours and days."""
    if moment <= clock.now():
        _refuse("callback_at", _("The call-back must be in the future."))
    local = timezone.localtime(moment)
    setting = SellerDay.objects.filter(salesperson=seller).first() or SellerDay()
    step = timedelta(minutes=setting.minutes_per_call)
    day = local.date()
    if not call_schedule.is_working(seller, day):
        _refuse("callback_at", _("That day is not a working day; choose another."))
    if not (
        call_schedule.local(day, setting.starts_at)
        <= moment
        <= call_schedule.local(day, setting.ends_at) - step
    ):
        message = _("Choose a time within working hours (%(start)s–%(end)s).") % {
            "start": setting.starts_at.strftime("%H:%M"),
            "end": setting.ends_at.strftime("%H:%M"),
        }
        _refuse("callback_at", message)


def record_outcome(
    *, actor, slot: CallSlot, outcome: str, revision: int, data: dict[str, Any] | None = None
) -> CallSlot:
    """Record a call's outcome and send the item where it leads (queue, closed, field)."""
    data = data or {}
    if slot.salesperson_id != actor.pk:
        raise PermissionDenied(_("This call is in someone else's day."))
    if outcome not in CallOutcome.values:
        _refuse("outcome", _("Choose an outcome."))
    # Validate first: a refusal must leave everything as it was.
    callback_at = None
    if outcome == CallOutcome.CALL_BACK:
        callback_at = parse_moment(data.get("callback_at", ""), "callback_at")
        check_callback(actor, callback_at)
    reason = str(data.get("reason", "")).strip()
    if outcome == CallOutcome.NOT_INTERESTED and not reason:
        _refuse("reason", _("Say why the customer is not interested."))
    with transaction.atomic():
        item = QueueItem.objects.select_related("opportunity").get(pk=slot.item_id)
        done = CallSlot.objects.filter(pk=slot.pk, status=CallSlot.Status.PLANNED).update(
            status=CallSlot.Status.DONE, outcome=outcome, done_at=clock.now()
        )
        if not done or item.revision != revision:
            raise Conflict(
                _("This call was already recorded or changed by someone else; reload the page.")
            )
        _apply(actor, item, outcome, callback_at=callback_at, reason=reason, data=data)
        written = QueueItem.objects.filter(pk=item.pk, revision=revision).update(
            status=item.status,
            attempts=item.attempts,
            last_outcome=outcome,
            callback_at=item.callback_at,
            assigned_to=item.assigned_to,
            score=item.score,
            queue=item.queue,
            reasons=item.reasons,
            revision=F("revision") + 1,
        )
        if not written:
            raise Conflict(
                _("This call was already recorded or changed by someone else; reload the page.")
            )
        _log_call(actor, item, outcome, reason=reason, callback_at=callback_at)
    slot.refresh_from_db()
    return slot


def _apply(actor, item: QueueItem, outcome: str, *, callback_at, reason: str, data) -> None:
    """Change `item` in memory (and the opportunity or the field part) as the outcome says."""
    item.last_outcome = outcome
    if outcome == CallOutcome.NO_ANSWER:
        item.attempts += 1
        item.status, item.callback_at, item.assigned_to = QueueItem.Status.WAITING, None, None
        queue.rescore(item)  # the rules plus the no-answer step per attempt
    elif outcome == CallOutcome.CALL_BACK:
        # Promised by this salesperson: their day takes it at that time.
        item.status, item.callback_at = QueueItem.Status.WAITING, callback_at
        item.assigned_to = actor
        queue.rescore(item)
    elif outcome == CallOutcome.NOT_INTERESTED:
        item.status = QueueItem.Status.CLOSED
        deals.close(
            actor=actor, opportunity=item.opportunity, stage=Opportunity.Stage.LOST, reason=reason
        )
    elif outcome == CallOutcome.MEETING:
        from obieg.solutions.pv_salesforce import meetings

        meetings.book_meeting(
            actor=actor,
            opportunity=item.opportunity,
            window_start=parse_moment(data.get("window_start", ""), "window_start"),
            window_end=parse_moment(data.get("window_end", ""), "window_end"),
            address=str(data.get("address", "")),
            postal_code=str(data.get("postal_code", "")),
        )
        item.status = QueueItem.Status.DONE


def _log_call(actor, item: QueueItem, outcome: str, *, reason: str, callback_at) -> None:
    body = reason
    if callback_at is not None:
        body = _("Call back at %(moment)s") % {
            "moment": timezone.localtime(callback_at).strftime("%Y-%m-%d %H:%M")
        }
    activity = Activity.objects.create(
        account_id=item.opportunity.account_id,
        opportunity=item.opportunity,
        kind=Activity.Kind.CALL,
        status=Activity.Status.DONE,
        subject=str(CallOutcome(outcome).label),
        body=body,
        occurs_at=clock.now(),
        outcome=ACTIVITY_OUTCOME[outcome],
        owner=actor,
    )
    audit.record_create(activity, actor=actor)
