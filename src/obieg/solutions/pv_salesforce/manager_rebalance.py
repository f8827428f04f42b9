"""Rebalancing a day: the calls not yet made spread evenly over the telephone salespeople at work.

Decisions (docs/salesforce.md, "Manager's view"):
- Only planned calls move; made or skipped calls stay where they are and
  still count against their salesperson's capacity.
- A call-back stays with whoever promised it, at the promised time: the
  customer expects that person then. Only when that person is away that
  day does it move, still at its time, to someone at work whose hours
  cover it (and the fewest calls); if nobody's do, it stays.
- The other calls are dealt so that each present salesperson ends with as
  even a number of planned calls as their capacity and free times allow:
  one at a time to whoever has the fewest (ties: the lower id). Each keeps
  their own calls up to their share, best-scored first, so a balanced day
  is left as it is; the rest move. Each person's calls are then laid on
  their free times, best first — from their working day's start, or from
  now for today — around the fixed call-backs.
- Calls that fit nobody (more calls than room, say after an absence) go
  back to the queue, best kept: their items wait again for the next build.

Concurrency as in call_schedule.py: every salesperson's day is locked (their
`SellerDay` rows, in id order) for the whole transaction, so no builder tops
up a day being rebalanced; the calls are taken with SKIP LOCKED on
PostgreSQL, so a call whose outcome a salesperson is recording right now is
left alone (it is theirs, fixed); each moved call's queue item gets a new
revision, so a screen opened before the move cannot record an outcome for
it. Positions of moved calls are new and above every position of the day,
so the unique (salesperson, day, position) never clashes half-way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from obieg.core import audit, business_days, clock
from obieg.core.errors import ApplicationError
from obieg.core.models import AuditAction, AuditEntry
from obieg.solutions.pv_salesforce import call_schedule, manager_phone, queue
from obieg.solutions.pv_salesforce.models_queue import CallSlot, QueueItem, SellerDay

WRITE_BATCH = 500


@dataclass
class RebalanceReport:
    day: date
    people: int = 0  # salespeople at work who share the calls
    moved: int = 0  # calls now in another salesperson's day
    retimed: int = 0  # calls that stayed but got another time
    released: int = 0  # calls that fit nobody: back in the queue
    per_person: dict[int, int] = field(default_factory=dict)  # planned calls after


@dataclass
class _Desk:
    """One present salesperson during the deal."""

    seat: manager_phone.Seat
    fixed: list[datetime] = field(default_factory=list)  # call-backs and calls in hand
    fixed_planned: int = 0
    fixed_count: int = 0  # every call of the day that stays as it is
    share: int = 0  # calls dealt to them
    limit: int = 0  # how many they can take at most
    free: list[datetime] = field(default_factory=list)  # their free call times, in order

    @property
    def load(self) -> int:
        return self.fixed_planned + self.share


def _lock_days(day: date) -> None:
    people = list(call_schedule.phone_sellers())
    settings = call_schedule.settings_for(people)
    others = CallSlot.objects.filter(day=day).values_list("salesperson_id", flat=True).distinct()
    also = SellerDay.objects.filter(salesperson_id__in=others).values_list("pk", flat=True)
    ids = sorted({s.pk for s in settings.values()} | set(also))
    list(
        SellerDay.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _planned(day: date) -> list[CallSlot]:
    slots = CallSlot.objects.filter(day=day, status=CallSlot.Status.PLANNED).order_by("pk")
    if connection.features.has_select_for_update_skip_locked:
        slots = slots.select_for_update(skip_locked=True, of=("self",))
    return list(slots.select_related("item"))


def rebalance_day(*, actor, day: date) -> RebalanceReport:
    """Spread the day's calls not yet made evenly over the telephone salespeople at work."""
    queue.ensure_may_manage(actor)
    if day < clock.today():
        raise ApplicationError(_("Only today or a later day can be rebalanced."))
    if not business_days.is_business_day(day):
        raise ApplicationError(_("Nobody works the telephones that day."))
    with transaction.atomic():
        _lock_days(day)
        return _rebalance(actor, day)


def _rebalance(actor, day: date) -> RebalanceReport:
    report = RebalanceReport(day=day)
    seats = manager_phone.seats(day)
    if not seats:
        raise ApplicationError(_("Nobody works the telephones that day."))
    desks = {pk: _Desk(seat=seat) for pk, seat in seats.items()}
    report.people = len(desks)
    planned = _planned(day)
    taken_ids = {slot.pk for slot in planned}
    # Every call of the day that is not being dealt stays, and holds its time.
    for seller_id, moment, status in (
        CallSlot.objects.filter(day=day)
        .exclude(pk__in=taken_ids)
        .values_list("salesperson_id", "planned_at", "status")
    ):
        desk = desks.get(seller_id)
        if desk is not None:
            desk.fixed.append(moment)
            desk.fixed_count += 1
            desk.fixed_planned += status == CallSlot.Status.PLANNED
    movable: list[CallSlot] = []
    handed: list[CallSlot] = []
    for slot in planned:
        desk = desks.get(slot.salesperson_id)
        if manager_phone.is_callback_of(slot.item, day) and desk is not None:
            desk.fixed.append(slot.planned_at)
            desk.fixed_count += 1
            desk.fixed_planned += 1
        elif manager_phone.is_callback_of(slot.item, day):
            if _place_callback(slot, desks):
                handed.append(slot)
        else:
            movable.append(slot)
    movable.sort(key=lambda s: (-s.item.score, s.item.entered_at, s.item_id))
    earliest = manager_phone.not_before(day)
    for desk in desks.values():
        desk.fixed.sort()
        free = manager_phone.free_times(
            desk.seat.setting, day, desk.fixed, not_before=earliest, wanted=len(movable)
        )
        desk.limit = min(max(desk.seat.setting.capacity - desk.fixed_count, 0), len(free))
        desk.free = free
    _deal(desks, len(movable))
    placed, released = _assign(desks, movable)
    _write(actor, day, placed + handed, released, report)
    report.per_person = {pk: desk.load for pk, desk in desks.items()}
    return report


def _place_callback(slot: CallSlot, desks: dict[int, _Desk]) -> bool:
    """An away salesperson's promised call-back: to someone at work whose hours cover it."""
    fits = [
        desk
        for desk in desks.values()
        if manager_phone.within_hours(desk.seat.setting, slot.day, slot.item.callback_at)
        and desk.fixed_count < desk.seat.setting.capacity
    ]
    if not fits:
        return False  # nobody can take it then: it stays, the manager sees it in the fill
    desk = min(fits, key=lambda d: (d.load, d.seat.person.pk))
    desk.fixed.append(slot.item.callback_at)
    desk.fixed_count += 1
    desk.fixed_planned += 1
    slot.new_seller = desk.seat.person
    slot.new_time = slot.item.callback_at
    return True


def _deal(desks: dict[int, _Desk], calls: int) -> None:
    """Each call to whoever has the fewest planned calls and still has room."""
    for _n in range(calls):
        open_desks = [d for d in desks.values() if d.share < d.limit]
        if not open_desks:
            return
        desk = min(open_desks, key=lambda d: (d.load, d.seat.person.pk))
        desk.share += 1


def _assign(desks: dict[int, _Desk], movable: list[CallSlot]):
    """Who gets which call: each keeps their own best up to their share, the rest go round."""
    mine: dict[int, list[CallSlot]] = {pk: [] for pk in desks}
    rest: list[CallSlot] = []
    for slot in movable:  # best first
        desk = desks.get(slot.salesperson_id)
        if desk is not None and len(mine[slot.salesperson_id]) < desk.share:
            mine[slot.salesperson_id].append(slot)
        else:
            rest.append(slot)
    for pk, desk in sorted(desks.items()):
        while len(mine[pk]) < desk.share and rest:
            mine[pk].append(rest.pop(0))
    for pk in mine:
        mine[pk].sort(key=lambda s: (-s.item.score, s.item.entered_at, s.item_id))
    placed: list[CallSlot] = []
    for pk, slots in mine.items():
        for slot, moment in zip(slots, desks[pk].free, strict=False):
            slot.new_seller, slot.new_time = desks[pk].seat.person, moment
            placed.append(slot)
    return placed, rest


def _write(actor, day: date, placed, released, report: RebalanceReport) -> None:
    moving = [
        s for s in placed if s.new_seller.pk != s.salesperson_id or s.new_time != s.planned_at
    ]
    last = CallSlot.objects.filter(day=day).aggregate(last=Max("position"))["last"] or 0
    entries: list[AuditEntry] = []
    changed: list[CallSlot] = []
    item_owner: dict[int, int] = {}
    for offset, slot in enumerate(moving, start=1):
        before = audit.snapshot(slot)
        moved = slot.new_seller.pk != slot.salesperson_id
        report.moved += moved
        report.retimed += not moved
        slot.salesperson, slot.planned_at, slot.position = (
            slot.new_seller,
            slot.new_time,
            last + offset,
        )
        entries.append(_entry(slot, actor, audit.diff(before, audit.snapshot(slot))))
        changed.append(slot)
        if moved:
            item_owner[slot.item_id] = slot.new_seller.pk
    for start in range(0, len(changed), WRITE_BATCH):
        CallSlot.objects.bulk_update(
            changed[start : start + WRITE_BATCH], ["salesperson", "planned_at", "position"]
        )
    for owner in set(item_owner.values()):
        ids = [item for item, who in item_owner.items() if who == owner]
        QueueItem.objects.filter(pk__in=ids).update(
            assigned_to_id=owner, revision=F("revision") + 1
        )
    if released:
        item_ids = [slot.item_id for slot in released]
        for slot in released:
            gone = {name: [value, None] for name, value in audit.snapshot(slot).items()}
            entries.append(_entry(slot, actor, gone, action=AuditAction.DELETE))
        CallSlot.objects.filter(pk__in=[slot.pk for slot in released]).delete()
        QueueItem.objects.filter(pk__in=item_ids).update(
            status=QueueItem.Status.WAITING, assigned_to=None, revision=F("revision") + 1
        )
        report.released = len(released)
    AuditEntry.objects.bulk_create(entries, batch_size=WRITE_BATCH)


def _entry(slot: CallSlot, actor, changes: dict, action: str = AuditAction.UPDATE) -> AuditEntry:
    # audit.record writes one row per call; a rebalance writes its entries in one go.
    return AuditEntry(
        content_type=ContentType.objects.get_for_model(CallSlot),
        object_id=slot.pk,
        object_repr=str(slot)[:200],
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        changes=changes,
    )
