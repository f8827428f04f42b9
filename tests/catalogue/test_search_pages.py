"""Catalogue search pages: every sort pages through the matches in order, at a bounded cost."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from obieg.catalogue import selectors
from obieg.catalogue.models import Product
from obieg.catalogue.selectors import ProductFilters, picker_matches, product_page
from obieg.core import pagination
from obieg.core.text_search import fold

WORDS = ("Falownik", "Kabel", "Moduł", "Złączka")


@pytest.fixture
def items(db):
    """Items whose words cluster in the name order: every Złączka sorts last."""
    rows = []
    for number in range(60):
        word = WORDS[number % len(WORDS)]
        item = Product(
            code=f"K-{number:03}",
            name=f"{word} {number % 7}",
            unit_price=Decimal(number % 9) + Decimal("0.5"),
            unit_cost=Decimal("0"),
        )
        item.fill_search_columns()
        rows.append(item)
    Product.objects.bulk_create(rows)


def walk(user, filters: ProductFilters, size: int) -> list[int]:
    found, cursor = [], None
    while True:
        page = product_page(user, filters, cursor=cursor, size=size)
        found += [item.pk for item in page.rows]
        if not page.has_next:
            return found
        cursor = page.next_cursor


@pytest.mark.parametrize("many", [False, True], ids=["ids collected", "more than counted"])
@pytest.mark.parametrize("sort", ["name", "code", "price", "changed"])
def test_every_sort_pages_through_the_matches_in_order(org, items, monkeypatch, sort, many):
    if many:  # the path for matches past the count cap
        monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    ordering = selectors.PRODUCT_SORTS[sort]
    expected = list(
        Product.objects.filter(active=True, search_name__contains="zlaczka")
        .order_by(*ordering)
        .values_list("pk", flat=True)
    )
    assert len(expected) == 15
    assert walk(org.admin, ProductFilters(search="ZLACZKA", sort=sort), size=4) == expected


def test_the_picker_lists_matches_alphabetically(org, items):
    names = [item.name for item in picker_matches(org.admin, "zlaczka 3")]
    assert names == sorted(names, key=fold) and names and all("3" in n for n in names)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_a_common_word_is_found_by_one_scan_not_a_walk_of_the_sort_index(org, items, monkeypatch):
    # SQLite has no statistics on LIKE: walking the name index to the last
    # Złączka read every other item first (87 500 rows at 10^5 items).
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    with CaptureQueriesContext(connection) as queries:
        product_page(org.admin, ProductFilters(search="zlaczka"))
    page_sql = queries.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + page_sql)
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "TEMP B-TREE FOR ORDER BY" in plan, plan
