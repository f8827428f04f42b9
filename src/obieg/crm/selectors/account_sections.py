"""The 360° page's lists of one customer, a screen at a time.

Each section (contact persons, opportunities, offers, contracts, leads)
shows how many there are and its first rows; the rest come a page at a
time when the reader asks for more at the section's end (`section_page`
with the cursor of the last row shown). The counts of all sections are one query,
each capped like every count in Obieg, so the page costs the same for a
customer with five records or fifty thousand.

Offers and contracts are reached through the account's reverse relations,
as in `crm.selectors.accounts`: the sales app depends on crm, not the other
way round. The apps above crm add their own sections with `add` (through
`web.account_panels.add_section`): invoices and payments, cases with their
current step, a solution's inquiries. Their counts join the one statement,
their first rows cost one query each, as the platform's own do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from obieg.core import compiled_once, one_trip, prepared_statements, reader_statements
from obieg.core.access import visible_under
from obieg.core.pagination import COUNT_CAP, Page, keyset_page
from obieg.crm.models import Account, ContactPerson, Lead, Opportunity

FIRST_ROWS = 5  # what a section shows before the reader asks for more
MORE_ROWS = 20


@dataclass(frozen=True)
class Kind:
    records: Callable[[Account], QuerySet]
    ordering: list[str]
    template: str  # the rows of one page, and the "more" row when there is more
    # Who sees which of them: (user, account, records) -> records; when None, the
    # access policy's, spared for records that inherit their account's (contact persons).
    visible: Callable[[Any, Account, QuerySet], QuerySet] | None = None
    # The foreign key by which `records` picks the account's rows.
    via: str = "account"
    # The whole section (heading, table, rows) for kinds an app adds; the platform's
    # own sections are laid out by the account page itself.
    card: str = ""
    order: int = 100
    # Whether `records` follow from the account's id alone, with nothing read to build
    # them: then whether the account has any is asked first (`_kinds_to_read`). Not so
    # for the cases, which are about whichever of the account's records have cases.
    picked_by_id: bool = True


KINDS: dict[str, Kind] = {
    "contacts": Kind(
        lambda account: ContactPerson.objects.filter(account=account),
        ["-is_primary", "sort_name", "id"],  # last, then first name, in Polish order
        "web/accounts/_contact_rows.html",
    ),
    "opportunities": Kind(
        lambda account: Opportunity.objects.filter(account=account).select_related("owner"),
        ["-created_at", "-id"],
        "web/accounts/_opportunity_rows.html",
    ),
    "offers": Kind(
        lambda account: account.offers.all(),
        ["-created_at", "-id"],
        "web/accounts/_offer_rows.html",
    ),
    "contracts": Kind(
        lambda account: account.contracts.all(),
        ["-created_at", "-id"],
        "web/accounts/_contract_rows.html",
    ),
    "leads": Kind(
        lambda account: Lead.objects.filter(account=account),
        ["-created_at", "-id"],
        "web/accounts/_lead_rows.html",
    ),
}


def add(key: str, kind: Kind) -> None:
    """A section of the 360° page from an app above crm (called from AppConfig.ready)."""
    KINDS.setdefault(key, kind)  # ready() may run twice (tests, autoreload)


@dataclass(frozen=True)
class Section:
    kind: str
    count: int  # at most COUNT_CAP + 1
    page: Page

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def template(self) -> str:
        return KINDS[self.kind].template

    @property
    def card(self) -> str:
        return KINDS[self.kind].card


def _records(user, account: Account, kind: str) -> QuerySet:
    spec = KINDS[kind]
    if spec.visible is not None:
        return spec.visible(user, account, spec.records(account))
    # The page has read the account through the policy (accounts.account_get).
    return visible_under(spec.records(account), user, spec.via)


def _page(records: QuerySet, kind: str, *, cursor: str | None, size: int) -> Page:
    ordering = KINDS[kind].ordering
    return keyset_page(records, ordering=ordering, cursor=cursor, size=size, count=False)


def section_page(
    user, account: Account, kind: str, *, cursor: str | None = None, size: int = MORE_ROWS
) -> Page:
    """One page of the `kind` records `user` sees of `account` (one they see), after `cursor`."""
    return _page(_records(user, account, kind), kind, cursor=cursor, size=size)


def _has_any(kind: str) -> compiled_once.Compiled | None:
    """`EXISTS(<the account's records of kind>)`, compiled once per process, the account's
    id left open; None for a kind whose records read more of the account than its id."""
    return compiled_once.compiled(
        ("account has records of", kind),
        {"account": compiled_once.Value(int, Account._meta.pk)},
        lambda given: _exists_sql(kind, given["account"]),
    )


def _exists_sql(kind: str, account_pk) -> tuple[str, list]:
    records = KINDS[kind].records(Account(pk=account_pk)).order_by().values("pk")[:1]
    sql, params = records.query.sql_with_params()
    return f"EXISTS({sql})", list(params)


def _kinds_to_read(account: Account) -> set[str]:
    """The kinds of section that may have rows for `account`: one statement, reader aside.

    A customer has records of a few of the page's kinds (contact persons and
    opportunities, hardly ever inquiries, payments or grant projects);
    building each kind's access conditions for the reader and compiling them
    into the counts cost more than the rest of the sections. Asked first,
    without them, whether the account has any, the kinds it has none of are
    counted as 0 without a query of their own. Kinds not `picked_by_id` (the
    cases) are always read.
    """
    asked = {kind: _has_any(kind) for kind, spec in KINDS.items() if spec.picked_by_id}
    statements = {kind: statement for kind, statement in asked.items() if statement is not None}
    kinds = set(KINDS) - set(statements)
    if statements:
        parts, params = [], []
        for statement in statements.values():
            sql, part_params = compiled_once.bound(statement, {"account": account.pk})
            parts.append(sql)
            params += part_params
        # The same text for every account: prepared once per database session.
        (found,) = prepared_statements.rows_of("SELECT " + ", ".join(parts), params)
        kinds.update(kind for kind, present in zip(statements, found, strict=True) if present)
    return kinds


_NO_ROWS = Page(rows=[], next_cursor=None, count=0, count_capped=False)


def account_sections(user, account: Account) -> dict[str, Section]:
    """Every section's capped count and first rows: one query for the counts, one per section.

    `account` is one `user` sees (accounts.account_get). Only the kinds the
    account has any of are read (`_kinds_to_read`).
    """
    has = _kinds_to_read(account)
    read = [kind for kind in KINDS if kind in has]
    own = {kind: _records(user, account, kind) for kind in read if not _compiles(kind)}
    counts = _counts(user, account, [kind for kind in read if kind not in own], own)
    sections = {}
    for kind in KINDS:
        count = counts.get(kind, 0)
        page = _first_page(user, account, kind, own.get(kind)) if count else _NO_ROWS
        sections[kind] = Section(kind=kind, count=count, page=page)
    return sections


def _compiles(kind: str) -> bool:
    """Whether the kind's records for a reader compile once per kind of reader: those the
    access policy scopes, picked by the account's id alone (`_has_any` says which)."""
    spec = KINDS[kind]
    return spec.visible is None and spec.picked_by_id and _has_any(kind) is not None


def _counts(user, account: Account, kinds: list[str], own: dict[str, QuerySet]) -> dict[str, int]:
    """The capped count of each kind, in one statement.

    The counts of `kinds` (`_compiles`) are compiled once per kind of reader
    and set of kinds (core/reader_statements: building each kind's access
    conditions was most of what the sections cost); the others come as
    `own`, built for this request.
    """
    statement = None
    if kinds:

        def columns(reader, values) -> tuple[str, list]:
            shown = {kind: _records(reader, Account(pk=values["account"]), kind) for kind in kinds}
            return one_trip.capped_count_columns(shown)

        statement = reader_statements.bound(
            ("account section counts", tuple(kinds)),
            user,
            models=tuple(KINDS[kind].records(account).model for kind in kinds),
            build=columns,
            values={"account": account.pk},
            kinds={"account": compiled_once.Value(int, Account._meta.pk)},
        )
    if statement is None:  # a reader of no shape: every kind built for them
        own = {**{kind: _records(user, account, kind) for kind in kinds}, **own}
        kinds = []
    pieces = [statement] if statement else []
    if own:
        pieces.append(one_trip.capped_count_columns(own))
    if not pieces:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(sql for sql, _ in pieces),
            [param for _, params in pieces for param in params],
        )
        row = cursor.fetchone()
    return dict(zip([*kinds, *own], row, strict=True))


def _first_page(user, account: Account, kind: str, records: QuerySet | None) -> Page:
    """The section's first rows, its statement compiled once per kind of reader.

    The same as `_page(records, kind, cursor=None, size=FIRST_ROWS)`, whose
    statement Django compiled again for every section of every page (5 ms a
    page); a kind that does not compile (`_compiles`) is read that way still.
    """
    if records is not None:  # a kind built for this request (`account_sections`)
        return _page(records, kind, cursor=None, size=FIRST_ROWS)
    return reader_statements.first_page(
        f"account section {kind}",
        user,
        records=KINDS[kind].records(account),
        ordering=KINDS[kind].ordering,
        size=FIRST_ROWS,
        build=lambda reader, values: _records(reader, Account(pk=values["account"]), kind),
        values={"account": account.pk},
        kinds={"account": compiled_once.Value(int, Account._meta.pk)},
    )


def cards(sections: dict[str, Section]) -> list[Section]:
    """The sections the apps added, in their order, those with nothing to show left out."""
    added = [section for section in sections.values() if section.card and section.count]
    return sorted(added, key=lambda section: (KINDS[section.kind].order, section.kind))
