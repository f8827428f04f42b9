"""Reads behind the account list and the customer 360° page (SPEC P1, S5).

Every function takes the user and returns only what `access.visible` lets
them see. Each part of the 360° page is one query of a bounded size, so the
page costs the same for a customer with five activities or five thousand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db.models import QuerySet
from django.http import Http404
from stdnum.pl import nip

from obieg.core import compiled_once, pagination, reader_statements
from obieg.core.access import get_visible_or_404, visible
from obieg.core.pagination import Page, keyset_page
from obieg.crm.models import Account, Activity, ContactPerson, Opportunity
from obieg.crm.selectors.text import account_text
from obieg.customfields import filtering as custom_filtering

# Each ordering ends with the primary key so the keyset is unique; each has an index.
ACCOUNT_SORTS: dict[str, list[str]] = {
    # The Polish alphabetical order: Dąbrowski before Drukarnia (core.text_search).
    "name": ["sort_name", "id"],
    "newest": ["-created_at", "-id"],
    "city": ["city", "id"],
}
ACTIVITY_ORDERING = ["-occurs_at", "-id"]


@dataclass(frozen=True)
class AccountFilters:
    search: str = ""
    kind: str = ""
    voivodeship: str = ""
    mine: bool = False
    sort: str = "name"
    # Conditions on custom fields (obieg.customfields.filtering).
    custom: tuple[custom_filtering.Condition, ...] = ()


def _search(queryset: QuerySet, text: str) -> QuerySet:
    digits = nip.compact(text)
    if digits.isdigit():
        # Only digits, dashes and spaces (or "PL…"): someone typed or pasted a NIP,
        # which is stored compact. A prefix test is cheap; no name is all digits.
        return queryset.filter(nip__startswith=digits)
    # Accents and case ignored: "lodz" finds Łódź (crm.selectors.text).
    return queryset.filter(account_text(text))


def account_page(
    user,
    filters: AccountFilters,
    *,
    cursor: str | None = None,
    size: int = 25,
    columns: Sequence[str] = (),
) -> Page:
    """One keyset page of the accounts `user` sees, filtered and sorted.

    With `columns`, the rows hold only those fields (pagination.only_columns).
    """
    queryset = visible(Account.objects.all(), user)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.voivodeship:
        queryset = queryset.filter(voivodeship=filters.voivodeship)
    if filters.mine:
        queryset = queryset.filter(owner=user)
    ordering = ACCOUNT_SORTS.get(filters.sort, ACCOUNT_SORTS["name"])
    if filters.search or filters.custom:
        return _search_page(
            _narrowed(queryset, filters),
            _narrowed(queryset, filters, tested=True),
            ordering,
            cursor,
            size,
            columns,
        )
    return keyset_page(
        queryset.select_related("owner"),
        ordering=ordering,
        cursor=cursor,
        size=size,
        columns=columns,
    )


def _narrowed(queryset: QuerySet, filters: AccountFilters, *, tested: bool = False) -> QuerySet:
    """`queryset` searched and filtered by custom values (see `_search_page` for `tested`)."""
    if filters.custom:
        queryset = custom_filtering.apply(queryset, filters.custom, tested=tested)
    if filters.search:
        queryset = _search(queryset, filters.search)
    return queryset


def _search_page(
    queryset: QuerySet,
    walked: QuerySet,
    ordering: list[str],
    cursor: str | None,
    size: int,
    columns: Sequence[str] = (),
) -> Page:
    """A page of text-search or custom-filter results and their (capped) count.

    No index serves a substring match. Left alone, the database walks the
    sort index testing every row on the way, which for a rare word reads the
    whole table in index order, and then scans it again to count. Instead the
    matching ids are collected in one plain scan that stops at the cap and
    also gives the count; the page is then sorted from those ids. Custom
    values' ids come from their own index (customfields.filtering), which
    drives `queryset`; `walked` is the same rows tested as the sort index is
    walked, for when matches are plentiful.
    """
    cap = pagination.COUNT_CAP
    ids = list(queryset.order_by().values_list("pk", flat=True)[: cap + 1])
    if len(ids) > cap:
        # Matches are plentiful, so walking the sort index finds a page at once.
        rows = walked.select_related("owner")
    else:
        rows = Account.objects.filter(pk__in=ids).select_related("owner")
    page = keyset_page(
        rows, ordering=ordering, cursor=cursor, size=size, count=False, columns=columns
    )
    return replace(page, count=len(ids), count_capped=len(ids) > cap)


def account_get(user, pk) -> Account:
    """The account `pk` if `user` may see it, else Http404.

    Read first by every account page, compiled once per kind of reader
    (core/reader_statements) as `access.get_visible_or_404` would read it.
    """
    try:
        pk = int(pk)
    except (TypeError, ValueError) as error:
        raise Http404 from error
    if not 0 < pk < 2**63:  # no account's key; beyond a bigint the database would refuse it
        raise Http404
    found = reader_statements.instances(
        "account",
        user,
        models=(Account,),
        build=lambda reader, values: visible(
            Account.objects.select_related("owner").filter(pk=values["account"]), reader
        ),
        values={"account": pk},
        kinds={"account": compiled_once.Value(int, Account._meta.pk)},
    )
    if not found:
        raise Http404
    return found[0]


def account_activity_page(
    user, account: Account, *, cursor: str | None = None, size: int = 20, columns=()
) -> Page:
    """The activity timeline of one account, newest first, one page at a time.

    With `columns`, the activities hold only those (`pagination.only_columns`).
    The first page, shown with every visit of the 360° page, is compiled once
    per kind of reader (core/reader_statements).
    """
    if cursor is None:
        return reader_statements.first_page(
            "account timeline",
            user,
            records=Activity.objects.all(),
            ordering=ACTIVITY_ORDERING,
            size=size,
            columns=columns,
            build=lambda reader, values: _activities(reader, values["account"]),
            values={"account": account.pk},
            kinds={"account": compiled_once.Value(int, Account._meta.pk)},
        )
    return keyset_page(
        _activities(user, account.pk),
        ordering=ACTIVITY_ORDERING,
        cursor=cursor,
        size=size,
        count=False,
        columns=columns,
    )


def _activities(user, account_pk) -> QuerySet[Activity]:
    return visible(
        Activity.objects.filter(account_id=account_pk).select_related("owner", "contact"), user
    )


def contact_get(user, pk) -> ContactPerson:
    return get_visible_or_404(ContactPerson.objects.select_related("account"), user, pk=pk)


def activity_get(user, pk) -> Activity:
    return get_visible_or_404(
        Activity.objects.select_related("account", "owner", "contact"), user, pk=pk
    )


def account_contacts(user, account: Account) -> QuerySet:
    """Contact persons an activity of `account` may name (for a form's choices)."""
    return visible(ContactPerson.objects.filter(account=account), user)


def account_opportunities(user, account: Account) -> QuerySet:
    """Opportunities an activity of `account` may belong to (for a form's choices)."""
    return visible(Opportunity.objects.filter(account=account), user).order_by("-created_at")
