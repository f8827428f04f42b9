"""The rows of the account, opportunity and lead lists and the pipeline board's cards, as printed.

These pages are opened all day, and rendering 25 rows through {% url %},
{% include %}, get_FOO_display and the date, pln and custom-value filters
cost more than reading them. Each row is worked out here from plain values
(core/prepared_rows.py: one reverse per kind of link, labels translated
once) and the templates only print them. The HTML is the same as the
per-row template gave (tests/web/test_list_rows.py compares the two).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.templatetags.l10n import unlocalize
from django.urls import reverse
from django.utils.text import capfirst

from obieg.core.identifiers import format_nip
from obieg.core.prepared_rows import (
    NOBODY,
    date_text,
    field_labels,
    name_or_nobody,
    url_for_each,
)
from obieg.crm.models import Account, Lead, Opportunity
from obieg.crm.selectors import board
from obieg.crm.selectors.pipeline import Card, Column
from obieg.customfields import display
from obieg.web.templatetags.sales_format import pln

# The columns each list reads, for its page query (core.pagination.only_columns):
# what the row builders below (and web/offers/list.html) print, and nothing else.
_OWNER = ("owner__first_name", "owner__last_name", "owner__username")  # str(owner)
ACCOUNT_COLUMNS = ("name", "kind", "nip", "city", "voivodeship", "custom", *_OWNER)
OPPORTUNITY_COLUMNS = (
    "name",
    "account__name",
    "stage",
    "value",
    "expected_close",
    "custom",
    *_OWNER,
)
LEAD_COLUMNS = (
    "company_name",
    "contact_name",
    "email",
    "phone",
    "status",
    "source",
    "created_at",
    "custom",
    *_OWNER,
)
OFFER_COLUMNS = (
    "number",
    "revision_number",
    "title",
    "account__name",
    "status",
    "total_gross",
    "total_net",  # with the cost, the margin
    "total_cost",
    "created_at",
)


@dataclass(frozen=True, slots=True)
class CustomCell:
    key: str
    text: str  # NOBODY when empty


def _custom_cells(fields: Sequence) -> Callable[[object], tuple[CustomCell, ...]]:
    """The custom-field cells of one record, in the list's column order."""
    if not fields:
        return lambda record: ()

    def cells(record) -> tuple[CustomCell, ...]:
        stored = getattr(record, "custom", None) or {}
        return tuple(
            CustomCell(field.key, display.text_of(field, stored.get(field.key)) or NOBODY)
            for field in fields
        )

    return cells


@dataclass(frozen=True, slots=True)
class AccountRow:
    record: Account
    url: str
    name: str
    kind_label: str  # "" for a company: only a private person is badged
    nip: str
    city: str
    voivodeship: str
    owner: str
    custom: tuple[CustomCell, ...]


def account_rows(accounts: Iterable[Account], custom_fields: Sequence = ()) -> list[AccountRow]:
    url = url_for_each("account_detail")
    kinds = field_labels(Account, "kind")
    voivodeships = field_labels(Account, "voivodeship")
    custom = _custom_cells(custom_fields)
    return [
        AccountRow(
            record=account,
            url=url(account.pk),
            name=account.name,
            kind_label=kinds[account.kind] if account.kind == Account.Kind.PERSON else "",
            nip=format_nip(account.nip or ""),
            city=account.city,
            voivodeship=voivodeships.get(account.voivodeship, account.voivodeship),
            owner=name_or_nobody(account.owner),
            custom=custom(account),
        )
        for account in accounts
    ]


@dataclass(frozen=True, slots=True)
class StageBadge:
    css: str  # the badge's colour class
    label: str


def stage_badges() -> dict[str, StageBadge]:
    """Each stage's badge as web/opportunities/_stage.html draws it, built once per page."""
    colours = {Opportunity.Stage.WON: "text-bg-success", Opportunity.Stage.LOST: "text-bg-danger"}
    return {
        stage: StageBadge(colours.get(stage, "text-bg-primary"), capfirst(label))
        for stage, label in field_labels(Opportunity, "stage").items()
    }


@dataclass(frozen=True, slots=True)
class OpportunityRow:
    record: Opportunity
    url: str
    name: str
    account_url: str
    account: str
    stage: StageBadge
    value: str
    expected_close: str
    owner: str
    custom: tuple[CustomCell, ...]


def opportunity_rows(
    opportunities: Iterable[Opportunity], custom_fields: Sequence = ()
) -> list[OpportunityRow]:
    url = url_for_each("opportunity_detail")
    account_url = url_for_each("account_detail")
    badges = stage_badges()
    short_date = date_text()
    custom = _custom_cells(custom_fields)
    return [
        OpportunityRow(
            record=opportunity,
            url=url(opportunity.pk),
            name=opportunity.name,
            account_url=account_url(opportunity.account_id),
            account=str(opportunity.account),
            stage=badges.get(opportunity.stage) or StageBadge("text-bg-primary", opportunity.stage),
            value=pln(opportunity.value),
            expected_close=short_date(opportunity.expected_close) or NOBODY,
            owner=name_or_nobody(opportunity.owner),
            custom=custom(opportunity),
        )
        for opportunity in opportunities
    ]


@dataclass(frozen=True, slots=True)
class Person:
    """Someone to filter a list by: what the template prints of a user ({{ person }}, .pk)."""

    pk: int
    name: str

    def __str__(self) -> str:
        return self.name


def people(users) -> list[Person]:
    """`users` (a queryset of users) as Person, read as four columns rather than whole users.

    The opportunity list's owner filter is drawn on every visit; whole users
    are a dozen columns each to compile, send and convert, for a name.
    """
    return [
        # The name User.__str__ gives: the full name, else the login.
        Person(pk, f"{first_name} {last_name}".strip() or username)
        for pk, first_name, last_name, username in users.values_list(
            "pk", "first_name", "last_name", "username"
        )
    ]


@dataclass(frozen=True, slots=True)
class LeadRow:
    record: Lead
    url: str
    name: str
    has_company: bool  # then the contact person's name is shown under it
    contact_name: str
    email: str
    phone: str
    status: str
    source: str
    owner: str
    created: str
    custom: tuple[CustomCell, ...]


def lead_rows(leads: Iterable[Lead], custom_fields: Sequence = ()) -> list[LeadRow]:
    url = url_for_each("lead_detail")
    statuses = field_labels(Lead, "status")
    sources = field_labels(Lead, "source")
    short_date = date_text()
    custom = _custom_cells(custom_fields)
    return [
        LeadRow(
            record=lead,
            url=url(lead.pk),
            name=str(lead),
            has_company=bool(lead.company_name),
            contact_name=lead.contact_name,
            email=lead.email,
            phone=lead.phone,
            status=statuses.get(lead.status, lead.status),
            source=sources.get(lead.source, lead.source),
            owner=name_or_nobody(lead.owner),
            created=short_date(lead.created_at),
            custom=custom(lead),
        )
        for lead in leads
    ]


@dataclass(frozen=True, slots=True)
class CardRow:
    """One kanban card (web/opportunities/_cards.html)."""

    pk: int
    stage: str
    data_value: str  # the value unlocalised, for pipeline.js's column sums
    move_url: str
    url: str
    name: str
    account_url: str
    account_name: str
    value: str
    expected_close: str
    owner_name: str


def card_rows(cards: Iterable[Card]) -> list[CardRow]:
    move_url = url_for_each("opportunity_move")
    url = url_for_each("opportunity_detail")
    account_url = url_for_each("account_detail")
    short_date = date_text()
    return [
        CardRow(
            pk=card.pk,
            stage=card.stage,
            data_value=unlocalize(card.value),
            move_url=move_url(card.pk),
            url=url(card.pk),
            name=card.name,
            account_url=account_url(card.account_id),
            account_name=card.account_name,
            value=pln(card.value),
            expected_close=short_date(card.expected_close) or NOBODY,
            owner_name=card.owner_name,
        )
        for card in cards
    ]


def more_cards_url(stage: str, scope: str, cursor: str) -> str:
    """Where a column's next cards come from (web/opportunities/_more_cards.html)."""
    path = reverse("opportunity_pipeline_cards", args=[stage])
    # quote() as the template's urlencode filter; the template escapes the "&".
    return f"{path}?scope={quote(scope)}&after={quote(cursor)}"


@dataclass(frozen=True, slots=True)
class BoardColumn:
    """A board column with its cards prepared and the address of its next ones ("" at the end)."""

    stage: str
    label: str
    count: int
    total: Decimal
    capped: bool
    hidden: int
    cards: list[CardRow]
    more_url: str


def board_columns(columns: Iterable[Column], scope: str) -> list[BoardColumn]:
    prepared = []
    for column in columns:
        cursor = board.more_cursor(column)
        prepared.append(
            BoardColumn(
                stage=column.stage,
                label=column.label,
                count=column.count,
                total=column.total,
                capped=column.capped,
                hidden=column.hidden,
                cards=card_rows(column.cards),
                more_url=more_cards_url(column.stage, scope, cursor) if cursor else "",
            )
        )
    return prepared
