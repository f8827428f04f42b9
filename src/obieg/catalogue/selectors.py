"""Reads of the catalogue: the list page, one item, and the items an offer line may pick."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Upper
from django.http import Http404

from obieg.catalogue import rules
from obieg.catalogue.models import Product
from obieg.core import pagination
from obieg.core.pagination import Page, keyset_page
from obieg.core.text_search import fold
from obieg.core.unindexed import Unindexed

# Each ordering ends with the primary key so the keyset is unique; each has an index.
PRODUCT_SORTS: dict[str, list[str]] = {
    # The Polish alphabetical order of names (core.text_search.sort_key).
    "name": ["sort_name", "id"],
    "code": ["code", "id"],
    "price": ["unit_price", "id"],
    "changed": ["-updated_at", "-id"],
}
ACTIVE, INACTIVE, ALL = "active", "inactive", "all"
# The offer form lists this many items to pick from without JavaScript; the picker
# script asks the server (`picker_matches`) for more as the user types.
PICKER_LIMIT = 300
MATCH_LIMIT = 20


@dataclass(frozen=True)
class ProductFilters:
    search: str = ""
    kind: str = ""
    state: str = ACTIVE
    sort: str = "name"


def _text(query: str) -> Q:
    """Code or name contains `query`, accents and case ignored ("zolw" finds Żółw)."""
    return Q(search_name__contains=fold(query))


def product_page(
    user, filters: ProductFilters, *, cursor: str | None = None, size: int = 25
) -> Page:
    """One keyset page of the catalogue, filtered and sorted."""
    rules.ensure_may_read(user)
    queryset = Product.objects.all()
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.state == ACTIVE:
        queryset = queryset.filter(active=True)
    elif filters.state == INACTIVE:
        queryset = queryset.filter(active=False)
    ordering = PRODUCT_SORTS.get(filters.sort, PRODUCT_SORTS["name"])
    if not filters.search:
        return keyset_page(queryset, ordering=ordering, cursor=cursor, size=size)
    rows, found = _matches(queryset, filters.search)
    rows, ordering = _sorted_by_scan(rows, ordering)
    page = keyset_page(rows, ordering=ordering, cursor=cursor, size=size, count=False)
    return replace(page, count=found, count_capped=found > pagination.COUNT_CAP)


def _matches(queryset: QuerySet, query: str) -> tuple[QuerySet, int]:
    """The rows of `queryset` matching `query`, to be sorted and paged; their capped count.

    As the account list does: no index serves a substring match in sort order,
    and walking the sort index testing each row reads the whole table for a
    rare word. So the matching ids are collected (and counted) by one plain
    scan that stops past the cap; when there are more, matches are plentiful
    and walking the sort index finds a page at once.
    """
    matching = queryset.filter(_text(query))
    cap = pagination.COUNT_CAP
    ids = list(matching.order_by().values_list("pk", flat=True)[: cap + 1])
    if len(ids) > cap:
        return matching, len(ids)
    return Product.objects.filter(pk__in=ids), len(ids)


def _sorted_by_scan(rows: QuerySet, ordering: list[str]) -> tuple[QuerySet, list[str]]:
    """On SQLite, `rows` ordered through expressions no index serves: one scan, then a sort.

    SQLite keeps no statistics on a substring match, so for a search it
    walks the sort index and tests each row on the way. That finds a page at
    once when the matches are spread through the order, but words cluster:
    every "Złączka …" sorts at the end, so "zlaczka" read 87 500 rows in index
    order (with a table lookup each) before its first match. A plain scan
    with a top-N sort costs one pass over the table whatever the word
    (bench/catalogue.py). PostgreSQL's planner estimates the matches from its
    trigram index and statistics and chooses well by itself.
    """
    if connection.vendor != "sqlite":
        return rows, ordering
    unindexed = []
    for term in ordering[:-1]:  # the last term is the primary key, the tie-breaker
        name = term.lstrip("-")
        alias = f"scan_{name}"
        field = Product._meta.get_field(name).clone()
        rows = rows.annotate(**{alias: Unindexed(name, output_field=field)})
        unindexed.append(term.replace(name, alias))
    return rows, [*unindexed, ordering[-1]]


def product_get(user, pk) -> Product:
    """The item `pk`, or Http404; PermissionDenied for someone outside sales."""
    rules.ensure_may_read(user)
    try:
        return Product.objects.get(pk=pk)
    except (Product.DoesNotExist, ValueError, TypeError, OverflowError) as error:
        raise Http404 from error


def products_by_code(codes: Iterable[str]) -> dict[str, Product]:
    """The items with these codes (any case), keyed by the upper-case code; one query."""
    wanted = {code.strip().upper() for code in codes if code and code.strip()}
    if not wanted:
        return {}
    found = Product.objects.annotate(code_upper=Upper("code")).filter(code_upper__in=wanted)
    return {product.code.upper(): product for product in found}


def picker_items(limit: int = PICKER_LIMIT) -> list[Product]:
    """Active items, alphabetically, for the offer line's list of suggestions."""
    return list(Product.objects.filter(active=True).order_by("sort_name", "id")[:limit])


def picker_has_more(limit: int = PICKER_LIMIT) -> bool:
    return Product.objects.filter(active=True)[limit : limit + 1].exists()


def picker_matches(user, query: str, limit: int = MATCH_LIMIT) -> QuerySet[Product]:
    """Active items whose code or name contains `query`, alphabetically."""
    rules.ensure_may_read(user)
    active = Product.objects.filter(active=True)
    ordering = ["sort_name", "id"]
    if query.strip():
        active, _found = _matches(active, query)
        active, ordering = _sorted_by_scan(active, ordering)
    return active.order_by(*ordering)[:limit]
