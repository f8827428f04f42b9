"""Reads of leads and opportunities: lists, the kanban pipeline, the dashboard.

Everything starts from `access.visible`, so a list, a board column or a
detail page never shows a record outside the reader's scope. The board's
columns, a screen at a time, are `board.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from obieg.core import access, roles
from obieg.core.models import User
from obieg.core.money import ZERO, to_grosz
from obieg.core.pagination import COUNT_CAP
from obieg.crm.models import Account, Activity, Lead, Opportunity, PipelineTotal
from obieg.crm.selectors import text
from obieg.customfields import filtering as custom_filtering

PICK_LIMIT = 20
# Opportunities without a date sort after every dated one in the list.
NO_CLOSE_DATE = date(9999, 12, 31)


# Scopes narrow what a reader sees further: "mine", "team" or all visible.
SCOPES = ("all", "team", "mine")


def _team(user) -> list[int]:
    """Ids of the reader, the members of the teams they manage and of their own team."""
    people = Q(pk=user.pk) | Q(team__manager=user)
    if user.team_id:
        people |= Q(team=user.team_id)
    return list(User.objects.filter(people).values_list("pk", flat=True))


def _narrow(queryset: QuerySet, user, scope: str) -> QuerySet:
    # A list of owner ids, read once, rather than a join or a subquery: the
    # planner then knows how few owners match and uses the owner indexes.
    if scope == "mine":
        return queryset.filter(owner=user)
    if scope == "team":
        return queryset.filter(owner__in=_team(user))
    return queryset


# Leads -----------------------------------------------------------------------

LEAD_ORDERINGS = {
    "newest": ["-id"],  # the primary key index serves it on any table size
    "oldest": ["id"],
    "company": ["sort_name", "id"],  # company, then contact, in Polish order
}


def lead_queryset() -> QuerySet:
    """Leads with what their pages show; callers pass it through the access policy."""
    return Lead.objects.select_related("owner", "account", "opportunity")


def lead_search(
    user,
    *,
    query: str = "",
    status: str = "",
    scope: str = "all",
    custom: tuple[custom_filtering.Condition, ...] = (),
) -> QuerySet:
    leads = _narrow(access.visible(lead_queryset(), user), user, scope)
    leads = custom_filtering.apply(leads, custom)
    if status:
        leads = leads.filter(status=status)
    if query:
        leads = leads.filter(text.lead_text(query))
    return leads


def leads_to_work(user, *, limit: int = 10) -> QuerySet:
    """The reader's own leads that still wait for a decision, newest first (for the home).

    Without the related records: the home prints the lead's own columns.
    """
    working = (Lead.Status.NEW, Lead.Status.CONTACTED, Lead.Status.QUALIFIED)
    return (
        access.visible(Lead.objects.all(), user)
        .filter(owner=user, status__in=working)
        .order_by("-id")[:limit]
    )


def accounts_to_pick(user, *, query: str = "", nip: str = "", limit: int = PICK_LIMIT) -> list:
    """A short list of visible accounts to attach a lead, opportunity, offer or contract to."""
    match = Q()
    if query:
        match |= text.account_text(query) | Q(nip=query)
    if nip:
        match |= Q(nip=nip)
    if not match:
        return []
    accounts = access.visible(Account.objects.filter(match), user)
    return list(accounts.order_by("sort_name", "id")[:limit])


# Opportunities ---------------------------------------------------------------

OPPORTUNITY_ORDERINGS = {
    "newest": ["-id"],  # the primary key index serves it on any table size
    "close": ["close_key", "id"],
    "value": ["-value", "-id"],
    "name": ["sort_name", "id"],  # Polish alphabetical order
}


def opportunity_queryset() -> QuerySet:
    """Opportunities with what their pages show; callers pass it through the access policy."""
    return Opportunity.objects.select_related("account", "owner", "department")


def opportunity_search(
    user,
    *,
    query: str = "",
    stage: str = "",
    owner: int | None = None,
    scope: str = "all",
    open_only: bool = False,
    custom: tuple[custom_filtering.Condition, ...] = (),
) -> QuerySet:
    opportunities = _narrow(access.visible(opportunity_queryset(), user), user, scope)
    opportunities = custom_filtering.apply(opportunities, custom)
    if stage:
        opportunities = opportunities.filter(stage=stage)
    elif open_only:
        opportunities = opportunities.filter(stage__in=Opportunity.OPEN_STAGES)
    if owner:
        opportunities = opportunities.filter(owner_id=owner)
    if query:
        opportunities = opportunities.filter(text.opportunity_text(query))
    # Keyset pages need a non-NULL sort key; undated ones go last.
    return opportunities.annotate(close_key=Coalesce("expected_close", NO_CLOSE_DATE))


def owners_to_filter(user) -> QuerySet:
    """People whose opportunities the reader may filter by: their team, or all sellers."""
    people = User.objects.filter(is_active=True).order_by("first_name", "last_name", "id")
    if access.is_admin(user):
        return people.filter(
            Q(groups__name__in=roles.SELLING_ROLES) | Q(managed_teams__isnull=False)
        ).distinct()
    return people.filter(Q(pk=user.pk) | Q(team__manager=user))


def opportunities_for_account(user, account: Account) -> QuerySet:
    return access.visible(Opportunity.objects.filter(account=account), user).order_by(
        "-created_at", "-id"
    )


@dataclass(frozen=True, slots=True)
class Card:
    """What a kanban card shows; read as plain values, since a board draws 180 of them."""

    pk: int
    name: str
    stage: str
    value: Decimal
    expected_close: date | None
    account_id: int
    account_name: str
    owner_name: str


_CARD_FIELDS = (
    "pk",
    "name",
    "stage",
    "value",
    "expected_close",
    "account_id",
    "account__name",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
)


def _cards(queryset: QuerySet) -> list[Card]:
    cards = []
    for *fields, first_name, last_name, username in queryset.values_list(*_CARD_FIELDS):
        # The same name User.__str__ gives: full name, else the login.
        owner = f"{first_name or ''} {last_name or ''}".strip() or (username or "")
        cards.append(Card(*fields, owner_name=owner))
    return cards


def pipeline_card(user, pk: int) -> Card:
    """One visible opportunity as a card (after a move); DoesNotExist when not visible."""
    cards = _cards(access.visible(Opportunity.objects.filter(pk=pk), user))
    if not cards:
        raise Opportunity.DoesNotExist
    return cards[0]


@dataclass
class Column:
    stage: str
    label: str
    count: int  # at most COUNT_CAP + 1
    total: Decimal  # of the counted opportunities
    cards: list[Card]

    @property
    def capped(self) -> bool:
        """True when the column holds more than COUNT_CAP: count and sum are lower bounds."""
        return self.count > COUNT_CAP

    @property
    def hidden(self) -> int:
        """How many cards of this column are not drawn on the board (when not capped)."""
        return max(self.count - len(self.cards), 0)


@dataclass
class StageSum:
    stage: str
    label: str
    count: int
    total: Decimal


def _open_totals(owners) -> list[tuple[int, str, int, int, Decimal]]:
    """(owner, stage, probability, count, value) of the open opportunities of `owners`.

    From the totals the database keeps per owner, stage and probability
    (crm.models.PipelineTotal): a few rows per owner, however many
    opportunities they have.
    """
    rows = PipelineTotal.objects.filter(
        owner__in=owners, stage__in=Opportunity.OPEN_STAGES, count__gt=0
    ).values_list("owner", "stage", "probability", "count", "value_grosz")
    return [
        (owner, stage, probability, count, Decimal(grosz).scaleb(-2))
        for owner, stage, probability, count, grosz in rows
    ]


def my_open_pipeline(user) -> list[StageSum]:
    """The reader's own open opportunities per stage, for the dashboard."""
    counts: dict[str, int] = {}
    totals: dict[str, Decimal] = {}
    for _owner, stage, _probability, count, value in _open_totals([user.pk]):
        counts[stage] = counts.get(stage, 0) + count
        totals[stage] = totals.get(stage, ZERO) + value
    labels = dict(Opportunity.Stage.choices)
    return [
        StageSum(
            stage=stage,
            label=labels[stage],
            count=counts.get(stage, 0),
            total=totals.get(stage, ZERO),
        )
        for stage in Opportunity.OPEN_STAGES
    ]


def team_open_totals(user) -> list[dict]:
    """Open opportunities per member of the teams `user` manages: count, value, weighted value.

    A manager sees every opportunity their members own (core.access), so the
    totals the database keeps per owner, stage and probability answer
    alone; the weights are applied here, per probability, exactly.
    """
    members = {
        pk: (first, last, username)
        for pk, first, last, username in User.objects.filter(team__manager=user)
        .order_by("pk")
        .values_list("pk", "first_name", "last_name", "username")
    }
    if not members:
        return []
    totals: dict[int, dict] = {}
    for owner, _stage, probability, count, total in _open_totals(list(members)):
        first, last, username = members[owner]
        row = totals.setdefault(
            owner,
            {
                "owner": owner,
                "owner__first_name": first,
                "owner__last_name": last,
                "owner__username": username,
                "count": 0,
                "total": ZERO,
                "weighted_percent": ZERO,
            },
        )
        row["count"] += count
        row["total"] += total
        row["weighted_percent"] += total * probability
    rows = sorted(totals.values(), key=lambda row: (-row["total"], row["owner"]))
    for row in rows:
        row["weighted"] = to_grosz(row.pop("weighted_percent") / 100)
    return rows


def planned_activities(user, *, start: datetime, end: datetime, limit: int = 20) -> QuerySet:
    """The reader's planned activities from `start` until `end`, soonest first (for the home).

    Without select_related: the home reads the account's and contact's names
    as columns of the same statement (web/home_panels/rows.py).
    """
    return (
        access.visible(Activity.objects.all(), user)
        .filter(
            owner=user,
            status=Activity.Status.PLANNED,
            occurs_at__gte=start,
            occurs_at__lt=end,
        )
        .order_by("occurs_at", "id")[:limit]
    )
