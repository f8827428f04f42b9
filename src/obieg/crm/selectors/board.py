"""The pipeline board a screen at a time: the first cards of each column, then more on scroll.

`board_columns` reads what the board draws first — every column's capped
count and sum, and its first cards — in two statements, whatever the number
of stages. Scrolling to the end of a column asks for the next
cards of that column only (`column_cards`): one keyset query in the board's
own order, expected close first and undated cards last, which the
(stage, expected_close, id) and (owner, stage, expected_close) indexes
serve, so the hundredth screen costs what the first does.

The position is a cursor the browser sends back: "<expected close>.<id>",
with "-" for an undated card. A cursor that does not parse is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q

from obieg.core import one_trip
from obieg.crm.models import Opportunity
from obieg.crm.selectors import pipeline

FIRST_CARDS = 6  # what a column shows above the fold on a laptop
MORE_CARDS = 20
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


class BadCursor(ValueError):
    """The browser sent a position that is not one of ours."""


@dataclass(frozen=True)
class CardPage:
    stage: str
    cards: list[pipeline.Card]
    next_cursor: str | None
    scope: str


def cursor_after(card: pipeline.Card) -> str:
    closing = card.expected_close.isoformat() if card.expected_close else "-"
    return f"{closing}.{card.pk}"


def _position(cursor: str) -> tuple[date | None, int]:
    closing, _dot, pk = cursor.partition(".")
    try:
        return (None if closing == "-" else date.fromisoformat(closing)), int(pk)
    except ValueError:
        raise BadCursor(cursor) from None


def _after(closing: date | None, pk: int) -> Q:
    """Cards after (closing, pk) in the order expected close ascending, undated last, id."""
    if closing is None:
        return Q(expected_close__isnull=True, id__gt=pk)
    return (
        Q(expected_close__gt=closing)
        | Q(expected_close=closing, id__gt=pk)
        | Q(expected_close__isnull=True)
    )


def _in_board_order(queryset):
    return queryset.order_by(F("expected_close").asc(nulls_last=True), "id")


def _sort_key(card: pipeline.Card) -> tuple:
    return (card.expected_close is None, card.expected_close or date.min, card.pk)


def board_columns(user, *, scope: str = "all", cards: int = FIRST_CARDS) -> list[pipeline.Column]:
    """One column per stage: a capped count and sum, and the first `cards` cards.

    Read in two statements: the counts and sums of every stage (each stopping
    at COUNT_CAP + 1 rows, so a column over it says "1000+"), then the first
    cards of every stage that has any.
    """
    # The reader's scope once; each stage narrows it, the stage a parameter of one
    # compiled query (one_trip.Keyed) rather than six queries built and compiled.
    visible = pipeline.opportunity_search(user, scope=scope)
    stages = Opportunity.Stage.values

    def of_stage(stage: str):
        return visible.filter(stage=stage)

    def first_cards(stage: str):
        return _in_board_order(of_stage(stage)).values_list(*_CARD_FIELDS)[:cards]

    figures = one_trip.capped_counts_and_sums_each(of_stage, stages, "value")
    with_cards = [stage for stage in stages if figures[stage][0]]
    drawn: dict[str, list[pipeline.Card]] = {stage: [] for stage in stages}
    for row in one_trip.union_rows_each(first_cards, with_cards):
        card = _card(row)
        drawn[card.stage].append(card)
    return [
        pipeline.Column(
            stage=stage,
            label=label,
            count=figures[stage][0],
            total=figures[stage][1],
            cards=sorted(drawn[stage], key=_sort_key),
        )
        for stage, label in Opportunity.Stage.choices
    ]


def more_cursor(column: pipeline.Column) -> str | None:
    """Where the board's column goes on, or None when it drew every card it has."""
    if not column.cards or not (column.capped or column.hidden):
        return None
    return cursor_after(column.cards[-1])


def column_cards(
    user, *, stage: str, scope: str = "all", cursor: str = "", size: int = MORE_CARDS
) -> CardPage:
    """The next `size` cards of one column the reader sees, after `cursor` (or the first).

    BadCursor when `cursor` is not one this module made.
    """
    # The board's own reading of "visible" and of the scope (mine, my team, all).
    opportunities = pipeline.opportunity_search(user, stage=stage, scope=scope)
    if cursor:
        opportunities = opportunities.filter(_after(*_position(cursor)))
    rows = _in_board_order(opportunities).values_list(*_CARD_FIELDS)[: size + 1]
    cards = [_card(row) for row in rows]
    more = len(cards) > size
    cards = cards[:size]
    return CardPage(
        stage=stage,
        cards=cards,
        next_cursor=cursor_after(cards[-1]) if more else None,
        scope=scope,
    )


def _card(row) -> pipeline.Card:
    *fields, first_name, last_name, username = row
    # The same name User.__str__ gives: full name, else the login.
    owner = f"{first_name or ''} {last_name or ''}".strip() or (username or "")
    return pipeline.Card(*fields, owner_name=owner)
