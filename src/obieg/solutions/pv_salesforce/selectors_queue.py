"""Reads of the queues and of a telephone salesperson's day, for the pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count

from obieg.core import clock, roles
from obieg.core.pagination import Page, keyset_page
from obieg.crm.models import Activity, ContactPerson
from obieg.solutions.pv_salesforce.models_queue import CallSlot, QueueItem, QueueKind, QueueRule

QUEUE_ORDER = ["-score", "entered_at", "id"]


def is_phone_seller(user) -> bool:
    return bool(user.is_authenticated and user.has_role(roles.PHONE_SALES))


@dataclass
class CallContext:
    """What the salesperson needs on screen for the call in hand."""

    slot: CallSlot
    item: QueueItem
    phone: str
    contact: ContactPerson | None
    history: list[Activity]


def day_slots(user, day: date) -> list[CallSlot]:
    """The salesperson's calls of the day in order, with what each row shows."""
    return list(
        CallSlot.objects.filter(salesperson=user, day=day)
        .select_related("item__opportunity__account")
        .order_by("planned_at", "position", "id")
    )


def next_planned_day(user, after: date) -> date | None:
    """The next day after `after` with calls planned for the salesperson (the schedule is
    built ahead: on a Sunday the salesperson sees Monday is ready)."""
    return (
        CallSlot.objects.filter(salesperson=user, day__gt=after, status=CallSlot.Status.PLANNED)
        .order_by("day")
        .values_list("day", flat=True)
        .first()
    )


def current_call(slots: list[CallSlot], chosen: int | None = None) -> CallSlot | None:
    """The chosen planned call, else the first still planned."""
    planned = [slot for slot in slots if slot.status == CallSlot.Status.PLANNED]
    if chosen is not None:
        for slot in planned:
            if slot.pk == chosen:
                return slot
    return planned[0] if planned else None


def next_after(slots: list[CallSlot], current: CallSlot | None) -> CallSlot | None:
    """The planned call after the current one (wrapping round), for the "next" key."""
    planned = [slot for slot in slots if slot.status == CallSlot.Status.PLANNED]
    if current is None or len(planned) < 2:
        return None
    index = planned.index(current)
    return planned[(index + 1) % len(planned)]


def call_context(slot: CallSlot) -> CallContext:
    item = slot.item
    account = item.opportunity.account
    contact = account.contacts.exclude(phone="").order_by("-is_primary", "id").first()
    history = list(
        Activity.objects.filter(account=account, kind=Activity.Kind.CALL).order_by(
            "-occurs_at", "-id"
        )[:5]
    )
    phone = (contact.phone if contact else "") or account.phone
    return CallContext(slot=slot, item=item, phone=phone, contact=contact, history=history)


def queue_page(kind: str, *, cursor: str | None) -> Page:
    """The waiting items of a queue, best first, one keyset page at a time."""
    waiting = QueueItem.objects.filter(queue=kind, status=QueueItem.Status.WAITING)
    page = keyset_page(waiting, ordering=QUEUE_ORDER, cursor=cursor, size=25)
    ids = [item.pk for item in page.rows]
    full = QueueItem.objects.select_related("opportunity__account", "assigned_to").in_bulk(ids)
    page.rows = [full[pk] for pk in ids]
    return page


def queue_sizes() -> dict[str, int]:
    """Waiting items per queue (counted on the queue index)."""
    counts = dict(
        QueueItem.objects.filter(status=QueueItem.Status.WAITING)
        .values_list("queue")
        .annotate(n=Count("id"))
        .values_list("queue", "n")
    )
    return {kind: counts.get(kind, 0) for kind in QueueKind.values}


def rule_list() -> list[QueueRule]:
    return list(QueueRule.objects.order_by("position", "id"))


def home_panel(user) -> dict:
    """A telephone salesperson's home: today's calls, done and still to make."""
    slots = CallSlot.objects.filter(salesperson=user, day=clock.today())
    counts = dict(slots.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {
        "planned": counts.get(CallSlot.Status.PLANNED, 0),
        "done": counts.get(CallSlot.Status.DONE, 0),
        "next": slots.filter(status=CallSlot.Status.PLANNED)
        .select_related("item__opportunity__account")
        .order_by("planned_at", "position")
        .first(),
    }
