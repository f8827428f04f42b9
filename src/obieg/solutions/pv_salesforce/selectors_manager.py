"""Reads behind the sales manager's view: queue sizes, schedule fill, outcomes, the funnel.

Every figure is an aggregate query (GROUP BY in the database), so the page
costs the same few queries whether the team has two salespeople or fifty
and the queue ten items or 200,000; rows are only fetched for people, never
for calls, visits or queue items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from obieg.core import business_days
from obieg.core.identifiers import Voivodeship
from obieg.crm.models import Opportunity
from obieg.solutions.pv_salesforce import call_schedule, routes
from obieg.solutions.pv_salesforce.models_field import FieldDay, Meeting
from obieg.solutions.pv_salesforce.models_queue import (
    Absence,
    CallOutcome,
    CallSlot,
    QueueItem,
    QueueKind,
)

# The longest range of days the outcomes and the funnel cover at once.
MAX_RANGE_DAYS = 92
# Score bands of the breakdown, highest first: (lowest score in the band, label).
SCORE_BANDS = [
    (100, _("100 and more")),
    (50, _("50–99")),
    (25, _("25–49")),
    (0, _("0–24")),
]
BELOW_ZERO = _("below 0")
UNKNOWN_REGION = _("unknown")
OPEN_ITEM = (QueueItem.Status.WAITING, QueueItem.Status.SCHEDULED)
MET_OUTCOMES = (Meeting.Outcome.MET, Meeting.Outcome.WON, Meeting.Outcome.LOST)


def _day_bounds(first: date, last: date):
    return routes.midnight(first), routes.midnight(last + timedelta(days=1))


def _name(user) -> str:
    return str(user) if user is not None else "—"


# --- queue sizes ------------------------------------------------------------------------------


@dataclass
class QueueSizes:
    # {queue: {"waiting": n, "scheduled": n}}
    items: dict[str, dict[str, int]]
    meetings_booked: int  # booked, waiting for the field plan (today on)
    meetings_planned: int  # placed in a field salesperson's day (today on)
    breakdown_by: str  # "voivodeship" or "score"
    # [(label, phone waiting + planned, field waiting + planned)], largest first
    breakdown: list[tuple[str, int, int]]

    @property
    def total(self) -> int:
        return sum(sum(counts.values()) for counts in self.items.values()) + (
            self.meetings_booked + self.meetings_planned
        )


def _score_band() -> Case:
    whens = [
        When(score__gte=low, then=Value(index)) for index, (low, _label) in enumerate(SCORE_BANDS)
    ]
    return Case(*whens, default=Value(len(SCORE_BANDS)), output_field=IntegerField())


def queue_sizes(today: date, *, by: str = "voivodeship") -> QueueSizes:
    """Items waiting and planned per queue, booked and planned visits, and a breakdown."""
    items = {kind: {status: 0 for status in OPEN_ITEM} for kind in QueueKind.values}
    rows = (
        QueueItem.objects.filter(status__in=OPEN_ITEM)
        .values_list("queue", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for kind, status, n in rows:
        items.setdefault(kind, {s: 0 for s in OPEN_ITEM})[status] = n
    start, _end = _day_bounds(today, today)
    visits = dict(
        Meeting.objects.filter(status__in=Meeting.OPEN_STATUSES, window_start__gte=start)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
        .order_by()
    )
    return QueueSizes(
        items=items,
        meetings_booked=visits.get(Meeting.Status.BOOKED, 0),
        meetings_planned=visits.get(Meeting.Status.PLANNED, 0),
        breakdown_by=by,
        breakdown=_breakdown(by),
    )


def _breakdown(by: str) -> list[tuple[str, int, int]]:
    open_items = QueueItem.objects.filter(status__in=OPEN_ITEM).order_by()
    counts: dict[object, list[int]] = {}
    if by == "score":
        rows = open_items.annotate(band=_score_band()).values_list("band", "queue")
    else:
        rows = open_items.values_list("voivodeship", "queue")
    for key, kind, n in rows.annotate(n=Count("id")):
        pair = counts.setdefault(key, [0, 0])
        pair[0 if kind == QueueKind.PHONE else 1] += n
    if by == "score":
        labels = [str(label) for _low, label in SCORE_BANDS] + [str(BELOW_ZERO)]
        return [(labels[band], *counts[band]) for band in sorted(counts)]
    names = dict(Voivodeship.choices)
    result = [(str(names.get(key, key) or UNKNOWN_REGION), *pair) for key, pair in counts.items()]
    return sorted(result, key=lambda row: (-(row[1] + row[2]), row[0]))


# --- schedule fill of one day -----------------------------------------------------------------


@dataclass
class PhoneFill:
    person: object
    capacity: int
    hours: str
    works: bool  # a business day and not away
    planned: int = 0
    done: int = 0
    skipped: int = 0

    @property
    def used(self) -> int:
        return self.planned + self.done + self.skipped

    @property
    def percent(self) -> int:
        return round(100 * self.used / self.capacity) if self.capacity else 0


@dataclass
class FieldFill:
    person: object
    field_day: FieldDay
    works: bool
    visits: int = 0
    visit_minutes: int = 0  # time at customers'
    travel_minutes: int = 0  # drives between them (from the home base to the first)

    @property
    def hours_minutes(self) -> int:
        start, end = self.field_day.day_start, self.field_day.day_end
        return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)

    @property
    def percent(self) -> int:
        busy = self.visit_minutes + self.travel_minutes
        return round(100 * busy / self.hours_minutes) if self.hours_minutes > 0 else 0


def phone_fill(day: date) -> list[PhoneFill]:
    """Each telephone salesperson's calls of `day` against their capacity (3 queries)."""
    people = list(call_schedule.phone_sellers().select_related("seller_day"))
    business = business_days.is_business_day(day)
    away = call_schedule.off_on(day, people)
    counts = (
        CallSlot.objects.filter(day=day)
        .values_list("salesperson_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows: dict[int, PhoneFill] = {}
    for person in people:
        setting = call_schedule.setting_of(person)
        rows[person.pk] = PhoneFill(
            person=person,
            capacity=setting.capacity,
            hours=f"{setting.starts_at:%H:%M}–{setting.ends_at:%H:%M}",
            works=business and person.pk not in away,
        )
    for seller_id, status, n in counts:
        row = rows.get(seller_id)
        if row is not None and status in (
            CallSlot.Status.PLANNED,
            CallSlot.Status.DONE,
            CallSlot.Status.SKIPPED,
        ):
            setattr(row, status, n)
    return list(rows.values())


def field_fill(day: date) -> list[FieldFill]:
    """Each field salesperson's placed visits of `day` against their hours (2 queries)."""
    business = business_days.is_business_day(day)
    away = Absence.objects.filter(
        salesperson=OuterRef("user_id"), starts_on__lte=day, ends_on__gte=day
    )
    people = (
        FieldDay.objects.filter(user__is_active=True)
        .annotate(away=Exists(away))
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    start, end = _day_bounds(day, day)
    placed = {
        row[0]: row[1:]
        for row in Meeting.objects.filter(planned_start__gte=start, planned_start__lt=end)
        .exclude(status=Meeting.Status.CANCELLED)
        .values_list("salesperson_id")
        .annotate(
            n=Count("id"),
            minutes=Coalesce(Sum("duration_minutes"), 0),
            travel=Coalesce(Sum("travel_minutes"), 0),
        )
        .order_by()
    }
    rows = []
    for person in people:
        works = business and not person.away and day.weekday() in (person.working_weekdays or [])
        visits, minutes, travel = placed.get(person.user_id, (0, 0, 0))
        rows.append(FieldFill(person.user, person, works, visits, minutes, travel))
    return rows


# --- outcomes per salesperson and day ---------------------------------------------------------


@dataclass
class OutcomeRow:
    person_id: int
    person: str
    day: date
    counts: dict[str, int] = field(default_factory=dict)
    cells: list[int] = field(default_factory=list)  # the counts in the outcomes' order

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Outcomes:
    phone: list[OutcomeRow]
    field: list[OutcomeRow]
    phone_totals: dict[str, dict[str, int]]  # person → outcome → n
    field_totals: dict[str, dict[str, int]]


def outcomes(first: date, last: date) -> Outcomes:
    """Calls and visits done from `first` to `last`, per salesperson, day and outcome."""
    calls = (
        CallSlot.objects.filter(status=CallSlot.Status.DONE, day__gte=first, day__lte=last)
        .exclude(outcome="")
        .values_list("salesperson_id", "day", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    start, end = _day_bounds(first, last)
    when = Coalesce("planned_start", "window_start")
    visits = (
        Meeting.objects.annotate(at=when)
        .filter(status=Meeting.Status.DONE, at__gte=start, at__lt=end)
        .exclude(outcome="")
        .annotate(local_day=TruncDate("at", tzinfo=timezone.get_default_timezone()))
        .values_list("salesperson_id", "local_day", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    call_rows, visit_rows = list(calls), list(visits)
    ids = {row[0] for row in call_rows + visit_rows if row[0] is not None}
    names = {user.pk: _name(user) for user in get_user_model()._default_manager.filter(pk__in=ids)}
    phone, phone_totals = _rows(call_rows, names, CallOutcome.values)
    field_rows, field_totals = _rows(visit_rows, names, Meeting.Outcome.values)
    return Outcomes(phone, field_rows, phone_totals, field_totals)


def _rows(raw, names, kinds) -> tuple[list[OutcomeRow], dict[str, dict[str, int]]]:
    rows: dict[tuple, OutcomeRow] = {}
    totals: dict[str, dict[str, int]] = {}
    for person_id, day, outcome, n in raw:
        name = names.get(person_id, "—")
        row = rows.setdefault((name, person_id, day), OutcomeRow(person_id or 0, name, day))
        row.counts[outcome] = row.counts.get(outcome, 0) + n
        per_person = totals.setdefault(name, {})
        per_person[outcome] = per_person.get(outcome, 0) + n
    ordered = [rows[key] for key in sorted(rows, key=lambda k: (k[2], k[0], k[1] or 0))]
    for row in ordered:
        row.cells = [row.counts.get(kind, 0) for kind in kinds]
    return ordered, dict(sorted(totals.items()))


# --- the funnel -------------------------------------------------------------------------------


@dataclass
class Funnel:
    queued: int
    called: int
    booked: int
    met: int
    won: int

    def stages(self) -> list[tuple[str, str, int, int]]:
        """(key, label, count, per cent of the queued)."""
        steps = [
            ("queued", _("queued"), self.queued),
            ("called", _("called"), self.called),
            ("booked", _("meeting booked"), self.booked),
            ("met", _("met"), self.met),
            ("won", _("won"), self.won),
        ]
        return [
            (key, str(label), n, round(100 * n / self.queued) if self.queued else 0)
            for key, label, n in steps
        ]


def funnel(first: date, last: date) -> Funnel:
    """What became of the opportunities that entered the queue from `first` to `last`.

    A cohort, so every stage counts the same opportunities: called (at least
    one call made), meeting booked, met (the visit happened: met, won or
    lost at the customer's), won (the opportunity is won, whoever closed it).
    One query.
    """
    start, end = _day_bounds(first, last)
    called = CallSlot.objects.filter(item=OuterRef("pk"), status=CallSlot.Status.DONE)
    booked = Meeting.objects.filter(opportunity=OuterRef("opportunity_id")).exclude(
        status=Meeting.Status.CANCELLED
    )
    met = Meeting.objects.filter(opportunity=OuterRef("opportunity_id"), outcome__in=MET_OUTCOMES)
    figures = QueueItem.objects.filter(entered_at__gte=start, entered_at__lt=end).aggregate(
        queued=Count("id"),
        called=Count("id", filter=Q(Exists(called))),
        booked=Count("id", filter=Q(Exists(booked))),
        met=Count("id", filter=Q(Exists(met))),
        won=Count("id", filter=Q(opportunity__stage=Opportunity.Stage.WON)),
    )
    return Funnel(**figures)


# --- the charts' data -------------------------------------------------------------------------


def chart_data(sizes: QueueSizes, phone, field_rows, result: Outcomes, cohort: Funnel) -> dict:
    """Plain numbers and labels for manager.js (the tables beside the charts hold the same)."""
    call_outcomes = [(value, str(label)) for value, label in CallOutcome.choices]
    visit_outcomes = [(value, str(label)) for value, label in Meeting.Outcome.choices]

    def stacked(totals, kinds):
        people = list(totals)
        return {
            "labels": people,
            "datasets": [
                {"key": key, "label": label, "data": [totals[p].get(key, 0) for p in people]}
                for key, label in kinds
            ],
        }

    return {
        "queues": {
            "labels": [str(label) for _value, label in QueueKind.choices],
            "waiting": [sizes.items[k][QueueItem.Status.WAITING] for k in QueueKind.values],
            "planned": [sizes.items[k][QueueItem.Status.SCHEDULED] for k in QueueKind.values],
            "waiting_label": str(_("waiting")),
            "planned_label": str(_("planned")),
        },
        "breakdown": {
            "labels": [row[0] for row in sizes.breakdown],
            "phone": [row[1] for row in sizes.breakdown],
            "field": [row[2] for row in sizes.breakdown],
            "phone_label": str(QueueKind.PHONE.label),
            "field_label": str(QueueKind.FIELD.label),
        },
        "phone_fill": {
            "labels": [_name(row.person) for row in phone],
            "used": [row.used for row in phone],
            "capacity": [row.capacity if row.works else 0 for row in phone],
            "used_label": str(_("calls planned and made")),
            "capacity_label": str(_("capacity")),
        },
        "field_fill": {
            "labels": [_name(row.person) for row in field_rows],
            "busy": [round((r.visit_minutes + r.travel_minutes) / 60, 1) for r in field_rows],
            "hours": [round(r.hours_minutes / 60, 1) if r.works else 0 for r in field_rows],
            "busy_label": str(_("hours of visits and drives")),
            "hours_label": str(_("working hours")),
        },
        "phone_outcomes": stacked(result.phone_totals, call_outcomes),
        "field_outcomes": stacked(result.field_totals, visit_outcomes),
        "funnel": {
            "labels": [stage[1] for stage in cohort.stages()],
            "data": [stage[2] for stage in cohort.stages()],
        },
    }
