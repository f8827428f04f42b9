"""The telephone salespeople's days, built from the phone queue each morning and on demand.

For each telephone salesperson at work on the day (not absent, not a weekend
or a Polish holiday), the call-backs promised for that day go at their
promised times, and the best waiting items fill the rest of the working
hours, one call every `minutes_per_call`, up to the daily capacity.

Never two salespeople on one item: items are taken with SELECT … FOR UPDATE
SKIP LOCKED (PostgreSQL), so builders running at once pass over each
other's rows, and the partial unique constraint on planned slots refuses
what slips through (SQLite, which has no row locks but one writer at a
time). A salesperson's day is built under a lock on their settings row and
only topped up: running it twice for a day changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django_tasks import task

from obieg.core import business_days, clock, roles
from obieg.solutions.pv_salesforce import queue
from obieg.solutions.pv_salesforce.models_queue import (
    Absence,
    CallSlot,
    QueueItem,
    QueueKind,
    SellerDay,
)

logger = logging.getLogger(__name__)
ATTEMPTS = 3  # a salesperson's day is built again after a clash with a parallel builder


@dataclass
class ScheduleReport:
    day: date
    working: list[int] = field(default_factory=list)  # salespeople whose day was built
    absent: list[int] = field(default_factory=list)
    planned: int = 0  # calls added by this run
    per_seller: dict[int, int] = field(default_factory=dict)
    day_off: bool = False


def phone_sellers() -> QuerySet:
    """The active telephone salespeople."""
    return (
        get_user_model()
        ._default_manager.filter(groups__name=roles.PHONE_SALES, is_active=True)
        .distinct()
        .order_by("pk")
    )


def local(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment), timezone.get_default_timezone())


def settings_for(sellers: list) -> dict[int, SellerDay]:
    """Each salesperson's working-day settings, the defaults written for those without."""
    ids = [seller.pk for seller in sellers]
    known = {s.salesperson_id: s for s in SellerDay.objects.filter(salesperson_id__in=ids)}
    missing = [SellerDay(salesperson_id=pk) for pk in ids if pk not in known]
    if missing:
        SellerDay.objects.bulk_create(missing, ignore_conflicts=True)
        known = {s.salesperson_id: s for s in SellerDay.objects.filter(salesperson_id__in=ids)}
    return known


def absent_on(day: date, seller_ids: list[int]) -> set[int]:
    return set(
        Absence.objects.filter(
            salesperson_id__in=seller_ids, starts_on__lte=day, ends_on__gte=day
        ).values_list("salesperson_id", flat=True)
    )


def setting_of(seller) -> SellerDay:
    """The salesperson's working week; the defaults while they have none (a build saves them)."""
    try:
        return seller.seller_day
    except SellerDay.DoesNotExist:
        return SellerDay(salesperson=seller)


def off_on(day: date, sellers: list) -> set[int]:
    """Who of `sellers` does not work on `day`: away, not one of their weekdays, or inactive.

    Holidays are the caller's to check (nobody works them). Read with the
    sellers' `seller_day` selected, it costs one query (the absences).
    """
    away = absent_on(day, [seller.pk for seller in sellers])
    return away | {seller.pk for seller in sellers if not setting_of(seller).works_on(day)}


def is_working(seller, day: date) -> bool:
    """Whether the salesperson works on `day` (a business day of theirs they are not away)."""
    return business_days.is_business_day(day) and seller.pk not in off_on(day, [seller])


def build_call_schedules(*, day: date, sellers=None) -> ScheduleReport:
    """Plan (or top up) the day of each telephone salesperson at work on `day`."""
    report = ScheduleReport(day=day)
    release_stale(day)
    if not business_days.is_business_day(day):
        report.day_off = True
        return report
    people = list(sellers) if sellers is not None else list(phone_sellers())
    away = off_on(day, people)
    settings = settings_for(people)
    for seller in people:
        if seller.pk in away:
            report.absent.append(seller.pk)
            continue
        added = _build_with_retries(seller, day, settings[seller.pk])
        report.working.append(seller.pk)
        report.per_seller[seller.pk] = added
        report.planned += added
    return report


def release_stale(day: date) -> int:
    """Calls planned for earlier days and never made: their items wait in the queue again."""
    stale = CallSlot.objects.filter(day__lt=day, status=CallSlot.Status.PLANNED)
    item_ids = list(stale.values_list("item_id", flat=True)[:10000])
    if not item_ids:
        return 0
    with transaction.atomic():
        released = CallSlot.objects.filter(
            item_id__in=item_ids, day__lt=day, status=CallSlot.Status.PLANNED
        ).update(status=CallSlot.Status.SKIPPED)
        QueueItem.objects.filter(pk__in=item_ids, status=QueueItem.Status.SCHEDULED).exclude(
            slots__status=CallSlot.Status.PLANNED
        ).update(status=QueueItem.Status.WAITING, revision=F("revision") + 1)
    return released


def _build_with_retries(seller, day: date, setting: SellerDay) -> int:
    for attempt in range(ATTEMPTS):
        try:
            return _build_one(seller, day, setting)
        except IntegrityError:
            # Another builder planned one of these items (or this day) first: read again.
            if attempt == ATTEMPTS - 1:
                raise
    return 0


def _locked(queryset: QuerySet) -> QuerySet:
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset  # SQLite: one writer at a time (IMMEDIATE transactions)


def _clash(moment: datetime, fixed: list[datetime], step: timedelta) -> datetime | None:
    """The fixed call (a promised call-back, an earlier plan) a call at `moment` would overlap."""
    return next((other for other in fixed if other < moment + step and moment < other + step), None)


@transaction.atomic
def _build_one(seller, day: date, setting: SellerDay) -> int:
    # One builder per salesperson's day at a time: the second waits here, then only tops up.
    list(SellerDay.objects.select_for_update().filter(pk=setting.pk).values_list("pk", flat=True))
    existing = list(
        CallSlot.objects.filter(salesperson=seller, day=day).values_list("planned_at", "position")
    )
    room = setting.capacity - len(existing)
    if room <= 0:
        return 0
    start, end = local(day, setting.starts_at), local(day, setting.ends_at)
    midnight, next_midnight = local(day, time(0)), local(day + timedelta(days=1), time(0))
    step = timedelta(minutes=setting.minutes_per_call)
    phone = QueueItem.objects.filter(queue=QueueKind.PHONE, status=QueueItem.Status.WAITING)
    promised = phone.filter(callback_at__gte=midnight, callback_at__lt=next_midnight).filter(
        Q(assigned_to=seller) | Q(assigned_to__isnull=True)
    )
    callbacks = list(_locked(promised.order_by("callback_at", "id"))[:room])
    fixed = sorted([moment for moment, _position in existing] + [i.callback_at for i in callbacks])
    grid = []
    moment = start
    wanted = room - len(callbacks)
    while moment + step <= end and len(grid) < wanted:
        clash = _clash(moment, fixed, step)
        if clash is not None:
            moment = clash + step  # the next call starts when the fixed one ends
            continue
        grid.append(moment)
        moment += step
    best = phone.filter(Q(callback_at__isnull=True) | Q(callback_at__lt=midnight))
    regular = list(_locked(best.order_by("-score", "entered_at", "id"))[: len(grid)])
    planned = sorted(
        [(item.callback_at, item) for item in callbacks] + list(zip(grid, regular, strict=False)),
        key=lambda pair: (pair[0], pair[1].pk),
    )
    if not planned:
        return 0
    first = max((position for _moment, position in existing), default=0) + 1
    CallSlot.objects.bulk_create(
        CallSlot(salesperson=seller, day=day, position=first + n, planned_at=at, item=item)
        for n, (at, item) in enumerate(planned)
    )
    ids = [item.pk for _at, item in planned]
    taken = QueueItem.objects.filter(pk__in=ids, status=QueueItem.Status.WAITING).update(
        status=QueueItem.Status.SCHEDULED, assigned_to=seller, revision=F("revision") + 1
    )
    if taken != len(ids):
        raise IntegrityError("an item was taken by another builder")
    return len(ids)


# --- the clock --------------------------------------------------------------------------------

_last_built: dict[str, date | None] = {"day": None}


@task()
def build_call_schedules_task(day: str) -> dict:
    # Items whose age crossed a rule's limit are rescored before the day takes the best.
    queue.rescore_aged(date.fromisoformat(day))
    report = build_call_schedules(day=date.fromisoformat(day))
    return {"day": day, "planned": report.planned, "working": len(report.working)}


def build_each_morning() -> None:
    """Clock job: enqueue the day's build once a day per worker (a second build adds nothing)."""
    today = clock.today()
    if _last_built["day"] == today:
        return
    build_call_schedules_task.enqueue(today.isoformat())
    _last_built["day"] = today
