"""One query asked for several keys, compiled once (core/one_trip.py's Keyed).

The board asks the same two questions of every stage. Compiled once for a
placeholder, each stage's statement must be exactly the one compiling that
stage's queryset gives; read in one statement (a lateral join on PostgreSQL,
UNION ALL on SQLite), the counts, sums and rows must be those the querysets
give one by one. A key that is not a text parameter falls back to compiling
each query.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.db.models.sql.compiler import SQLCompiler

from obieg.core import one_trip
from obieg.core.money import ZERO
from obieg.core.pagination import COUNT_CAP
from obieg.crm.models import Opportunity
from obieg.crm.selectors import board, pipeline
from tests.factories import AccountFactory, OpportunityFactory

pytestmark = pytest.mark.django_db

STAGES = Opportunity.Stage.values


@pytest.fixture
def opportunities(org):
    """Every stage but one has opportunities; dates and values repeat, some are undated."""
    account = AccountFactory(owner=org.sara, name="Ąbc")
    for index in range(23):
        OpportunityFactory(
            account=account,
            owner=(org.sara, org.tomasz, None)[index % 3],
            stage=STAGES[index % (len(STAGES) - 1)],
            expected_close=None if index % 4 == 0 else date(2026, 1, 1) + timedelta(index % 5),
            value=Decimal("1000.10") * (index % 7),
        )
    return org


def _first_cards(visible):
    def of_stage(stage):
        return (
            visible.filter(stage=stage)
            .order_by(F("expected_close").asc(nulls_last=True), "id")
            .values_list("pk", "name", "stage", "value", "expected_close", "account__name")[:3]
        )

    return of_stage


def test_each_keys_statement_is_the_one_its_queryset_compiles_to(opportunities):
    visible = pipeline.opportunity_search(opportunities.sara, scope="team")
    of_stage = _first_cards(visible)

    keyed = one_trip.Keyed.compile(of_stage, STAGES)

    assert keyed is not None
    for stage, (sql, params) in zip(STAGES, keyed.statements(STAGES), strict=True):
        expected_sql, expected_params = of_stage(stage).query.sql_with_params()
        assert (sql, params) == (expected_sql, list(expected_params))


@pytest.mark.parametrize("username", ["sara", "admin", "manager"])
def test_read_at_once_the_keys_give_what_their_querysets_give(opportunities, username):
    user = getattr(opportunities, username)
    for scope in pipeline.SCOPES:
        visible = pipeline.opportunity_search(user, scope=scope)
        of_stage = _first_cards(visible)

        rows = one_trip.union_rows_each(of_stage, STAGES)
        figures = one_trip.capped_counts_and_sums_each(
            lambda stage, visible=visible: visible.filter(stage=stage), STAGES, "value"
        )

        expected_rows = [row for stage in STAGES for row in of_stage(stage)]
        assert sorted(rows) == sorted(expected_rows)
        assert rows or scope != "all"
        assert all(isinstance(row[3], Decimal) for row in rows)
        for stage in STAGES:
            of_it = visible.filter(stage=stage)
            values = list(of_it.values_list("value", flat=True)[: COUNT_CAP + 1])
            assert figures[stage] == (len(values), sum(values, ZERO)), (scope, stage)
        assert figures[STAGES[-1]] == (0, ZERO)  # the stage without opportunities


def test_a_key_that_is_no_text_parameter_is_compiled_each_time(opportunities):
    ids = list(Opportunity.objects.order_by("id").values_list("pk", flat=True)[:3])

    def by_id(key):
        return Opportunity.objects.filter(pk=key).values_list("pk", "name")

    assert one_trip.Keyed.compile(by_id, ids) is None
    rows = one_trip.union_rows_each(by_id, ids)
    assert sorted(row[0] for row in rows) == ids
    assert one_trip.union_rows_each(by_id, []) == []


def test_the_board_compiles_its_two_questions_once_each(opportunities, monkeypatch):
    compiled = []
    as_sql = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        compiled.append(self.query.model)
        return as_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    columns = board.board_columns(opportunities.sara, scope="all")

    # The counts and sums, the first cards: one compilation each, not one per stage
    # (the reader's roles and team, read for the access policy, are other queries).
    assert compiled.count(Opportunity) == 2
    assert [column.stage for column in columns] == STAGES
    assert sum(column.count for column in columns) == 8  # Sara's own, one in three
    assert all(len(column.cards) == min(column.count, board.FIRST_CARDS) for column in columns)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the lateral join is PostgreSQL's")
def test_on_postgresql_the_keys_are_one_list_joined_laterally(opportunities):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        board.board_columns(opportunities.sara, scope="team")

    statements = [q["sql"] for q in queries.captured_queries if "one_trip_key" in q["sql"]]
    assert len(statements) == 2
    assert all("CROSS JOIN LATERAL" in sql and "UNION" not in sql for sql in statements)
