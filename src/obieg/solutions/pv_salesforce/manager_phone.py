"""The manager moves one planned call to another telephone salesperson.

A call of today or a later day goes to someone who works that day (a
business day, not away) and has room left in their daily capacity. A
promised call-back keeps its time — the customer was told when — so the
new salesperson's hours must cover it; any other call takes its old time
when the new day has it free, else the first free time of their grid (not
earlier than now, today). The write is conditional on the call still being
planned for the salesperson the page showed (409 otherwise), locks both
salespeople's days as the builder does (call_schedule.py), and bumps the
queue item's revision so the former salesperson's open screen cannot record
an outcome for it any more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from obieg.core import audit, business_days, clock
from obieg.core.errors import ApplicationError, Conflict
from obieg.solutions.pv_salesforce import call_schedule, queue
from obieg.solutions.pv_salesforce.models_queue import CallSlot, QueueItem, SellerDay


def _refuse(field: str, message: str):
    raise ApplicationError(message, field_errors={field: [message]})


@dataclass
class Seat:
    """A telephone salesperson at work on a day: their settings and calls already there."""

    person: object
    setting: SellerDay
    used: int  # every call of the day, made or not, counts against the capacity

    @property
    def room(self) -> int:
        return max(self.setting.capacity - self.used, 0)


def seats(day: date) -> dict[int, Seat]:
    """Who works the telephones on `day`, with their room (3 queries, none per person)."""
    if not business_days.is_business_day(day):
        return {}
    people = list(call_schedule.phone_sellers().select_related("seller_day"))
    ids = [person.pk for person in people]
    away = call_schedule.off_on(day, people)
    used = dict(
        CallSlot.objects.filter(day=day, salesperson_id__in=ids)
        .values_list("salesperson_id")
        .annotate(n=Count("id"))
        .values_list("salesperson_id", "n")
        .order_by()
    )
    return {
        person.pk: Seat(person, call_schedule.setting_of(person), used.get(person.pk, 0))
        for person in people
        if person.pk not in away
    }


def grid_start(setting: SellerDay, day: date, not_before: datetime | None) -> datetime:
    """The first time of the salesperson's grid on `day`, not before `not_before`."""
    start = call_schedule.local(day, setting.starts_at)
    if not_before is None or not_before <= start:
        return start
    step = timedelta(minutes=setting.minutes_per_call)
    steps = -(-(not_before - start) // step)  # rounded up: the grid's next time
    return start + steps * step


def clashes(moment: datetime, taken: list[datetime], step: timedelta) -> datetime | None:
    """The taken time a call at `moment` would overlap (the latest such), if any."""
    overlapping = [other for other in taken if other < moment + step and moment < other + step]
    return max(overlapping) if overlapping else None


def free_times(
    setting: SellerDay, day: date, taken: list[datetime], *, not_before, wanted: int
) -> list[datetime]:
    """Up to `wanted` free call times of the salesperson's day, in order."""
    step = timedelta(minutes=setting.minutes_per_call)
    end = call_schedule.local(day, setting.ends_at)
    moment = grid_start(setting, day, not_before)
    found: list[datetime] = []
    while moment + step <= end and len(found) < wanted:
        clash = clashes(moment, taken, step)
        if clash is not None:
            moment = clash + step
            continue
        found.append(moment)
        moment += step
    return found


def within_hours(setting: SellerDay, day: date, moment: datetime) -> bool:
    step = timedelta(minutes=setting.minutes_per_call)
    start, end = (
        call_schedule.local(day, setting.starts_at),
        call_schedule.local(day, setting.ends_at),
    )
    return start <= moment and moment + step <= end


def is_callback_of(item: QueueItem, day: date) -> bool:
    """Whether the item is a call-back promised for `day` (its time is fixed)."""
    return item.callback_at is not None and timezone.localdate(item.callback_at) == day


def not_before(day: date) -> datetime | None:
    """Calls moved into today start from now on; a later day from its beginning."""
    return clock.now() if day == clock.today() else None


def _new_time(slot: CallSlot, item: QueueItem, setting: SellerDay, target) -> datetime:
    day = slot.day
    if is_callback_of(item, day):
        if not within_hours(setting, day, item.callback_at):
            _refuse(
                "to",
                _("The customer was promised a call at %(time)s, outside %(name)s's hours.")
                % {"time": timezone.localtime(item.callback_at).strftime("%H:%M"), "name": target},
            )
        return item.callback_at
    step = timedelta(minutes=setting.minutes_per_call)
    taken = sorted(
        CallSlot.objects.filter(salesperson=target, day=day).values_list("planned_at", flat=True)
    )
    earliest = not_before(day)
    old = slot.planned_at
    if (
        within_hours(setting, day, old)
        and (earliest is None or old >= earliest)
        and clashes(old, taken, step) is None
    ):
        return old
    times = free_times(setting, day, taken, not_before=earliest, wanted=1)
    if not times:
        _refuse("to", _("%(name)s has no free time left that day.") % {"name": target})
    return times[0]


def reassign_call(*, actor, slot: CallSlot, to_id: int | None, shown_seller_id: int) -> CallSlot:
    """Move one planned call to another telephone salesperson at work that day with room."""
    queue.ensure_may_manage(actor)
    if slot.day < clock.today():
        raise ApplicationError(_("Only calls of today or a later day can be moved."))
    with transaction.atomic():
        target = call_schedule.phone_sellers().filter(pk=to_id).first() if to_id else None
        if target is None:
            _refuse("to", _("Choose a telephone salesperson."))
        setting = call_schedule.settings_for([target])[target.pk]
        # Both days locked in a fixed order, as the builder locks one: no top-up meanwhile.
        ids = sorted({target.pk, shown_seller_id})
        list(
            SellerDay.objects.select_for_update()
            .filter(salesperson_id__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        locked = CallSlot.objects.select_for_update().filter(pk=slot.pk).first()
        if (
            locked is None
            or locked.salesperson_id != shown_seller_id
            or locked.status != CallSlot.Status.PLANNED
        ):
            raise Conflict(
                _("This call was moved or made meanwhile; reload the page to see where it is.")
            )
        if target.pk == shown_seller_id:
            _refuse("to", _("The call is already in %(name)s's day.") % {"name": target})
        item = QueueItem.objects.select_for_update().get(pk=locked.item_id)
        if not business_days.is_business_day(locked.day) or not call_schedule.is_working(
            target, locked.day
        ):
            _refuse("to", _("%(name)s does not work that day.") % {"name": target})
        used = CallSlot.objects.filter(salesperson=target, day=locked.day).count()
        if used >= setting.capacity:
            _refuse("to", _("%(name)s's day is full.") % {"name": target})
        moment = _new_time(locked, item, setting, target)
        last = CallSlot.objects.filter(salesperson=target, day=locked.day).aggregate(
            last=Max("position")
        )["last"]
        before = audit.snapshot(locked)
        locked.salesperson = target
        locked.planned_at = moment
        locked.position = (last or 0) + 1
        locked.save(update_fields=["salesperson", "planned_at", "position"])
        audit.record_update(locked, actor=actor, before=before)
        item_before = audit.snapshot(item)
        item.assigned_to = target
        item.revision += 1
        item.save(update_fields=["assigned_to", "revision"])
        audit.record_update(item, actor=actor, before=item_before)
    return locked
