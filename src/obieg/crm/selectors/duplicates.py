"""Records that a new account, contact or lead may duplicate (before it is created).

A record is a likely duplicate when it has the same NIP, REGON, PESEL,
e-mail address (any case) or phone number (any spacing, with or without
+48), or a similar name: the same words once folded (core.text_search:
case, diacritics, punctuation and the legal form such as "sp. z o.o." left
out, word order ignored, so "Kowalski Jan" is "Jan Kowalski").

Only records the person may see are returned (access.visible): the form
links to them. Every identifier test is an indexed equality; the name test
looks up candidates through the folded name column (a trigram index on
PostgreSQL) and compares the names in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from obieg.core.access import visible
from obieg.core.text_search import name_key, phone_key
from obieg.crm.models import Account, ContactPerson, Lead

LIMIT = 10  # duplicates shown; more would not help anyone decide
NAME_CANDIDATES = 200  # rows read to compare names with, per kind
MIN_NAME_WORD = 3

MATCH_LABELS = {
    "nip": _("NIP"),
    "regon": _("REGON"),
    "pesel": _("PESEL"),
    "email": _("e-mail"),
    "phone": _("phone"),
    "name": _("similar name"),
}


@dataclass(frozen=True)
class Duplicate:
    kind: str  # "account", "contact" or "lead"
    record: Model
    matched: tuple[str, ...]  # keys of MATCH_LABELS

    @property
    def matched_labels(self) -> list[str]:
        return [str(MATCH_LABELS[key]) for key in self.matched]


def _same_name(text: str) -> str:
    return " ".join(sorted(name_key(text).split()))


def _identifier_matches(
    rows: QuerySet, values: dict[str, str], lookups: dict[str, str]
) -> dict[int, set]:
    """{pk: matched keys} of `rows` equal in any of `values` (key -> value), by `lookups`."""
    condition = Q()
    for key, value in values.items():
        if value:
            condition |= Q(**{lookups[key]: value})
    if not condition:
        return {}
    found: dict[int, set] = {}
    columns = sorted({lookups[key] for key in values if values[key]})
    for row in rows.filter(condition).order_by("-pk").values("pk", *columns)[:LIMIT]:
        found[row["pk"]] = {
            key for key in values if values[key] and row[lookups[key]] == values[key]
        }
    return found


def _name_matches(rows: QuerySet, names: list[str], read_names) -> dict[int, set]:
    """{pk: {"name"}} of `rows` whose name is the same as one of `names`, once folded."""
    wanted = {_same_name(name) for name in names if name}
    wanted.discard("")
    found: dict[int, set] = {}
    for target in wanted:
        # The longest word finds the candidates; the whole name decides.
        word = max(target.split(), key=len)
        if len(word) < MIN_NAME_WORD:
            continue
        candidates = rows.filter(search_name__contains=word).order_by("-pk")[:NAME_CANDIDATES]
        for candidate in candidates:
            if any(_same_name(name) == target for name in read_names(candidate)):
                found[candidate.pk] = {"name"}
                if len(found) >= LIMIT:
                    return found
    return found


def _collect(kind: str, rows: QuerySet, *matches: dict[int, set]) -> list[Duplicate]:
    matched: dict[int, set] = {}
    for found in matches:
        for pk, keys in found.items():
            matched.setdefault(pk, set()).update(keys)
    records = rows.in_bulk(list(matched)[:LIMIT])
    order = list(MATCH_LABELS)
    return [
        Duplicate(kind, records[pk], tuple(sorted(matched[pk], key=order.index)))
        for pk in sorted(records, reverse=True)
    ]


def _email(data: dict[str, Any]) -> str:
    return (data.get("email") or "").strip().lower()


def account_duplicates(user, data: dict[str, Any]) -> list[Duplicate]:
    """Visible accounts a new account with `data` would likely duplicate."""
    rows = visible(Account.objects.annotate(email_lower=Lower("email")), user)
    identifiers = _identifier_matches(
        rows,
        {
            "nip": data.get("nip") or "",
            "regon": data.get("regon") or "",
            "pesel": data.get("pesel") or "",
            "email": _email(data),
            "phone": phone_key(data.get("phone")),
        },
        {
            "nip": "nip",
            "regon": "regon",
            "pesel": "pesel",
            "email": "email_lower",
            "phone": "phone_digits",
        },
    )
    names = _name_matches(rows, [data.get("name") or ""], lambda account: [account.name])
    return _collect("account", rows, identifiers, names)


def contact_duplicates(user, account: Account, data: dict[str, Any]) -> list[Duplicate]:
    """Visible contact persons (of any customer) with the same e-mail or phone, or of
    `account` with the same name."""
    rows = visible(
        ContactPerson.objects.annotate(email_lower=Lower("email")).select_related("account"), user
    )
    identifiers = _identifier_matches(
        rows,
        {"email": _email(data), "phone": phone_key(data.get("phone"))},
        {"email": "email_lower", "phone": "phone_digits"},
    )
    full_name = f"{data.get('first_name') or ''} {data.get('last_name') or ''}"
    names = _name_matches(rows.filter(account=account), [full_name], lambda c: [str(c)])
    return _collect("contact", rows, identifiers, names)


def lead_duplicates(user, data: dict[str, Any]) -> list[Duplicate]:
    """Visible leads and customers a new lead with `data` would likely duplicate."""
    values = {
        "nip": data.get("nip") or "",
        "email": _email(data),
        "phone": phone_key(data.get("phone")),
    }
    lookups = {"nip": "nip", "email": "email_lower", "phone": "phone_digits"}
    names = [data.get("company_name") or "", data.get("contact_name") or ""]
    leads = visible(Lead.objects.annotate(email_lower=Lower("email")), user)
    accounts = visible(Account.objects.annotate(email_lower=Lower("email")), user)
    return _collect(
        "lead",
        leads,
        _identifier_matches(leads, values, lookups),
        _name_matches(leads, names, lambda lead: [lead.company_name, lead.contact_name]),
    ) + _collect(
        "account",
        accounts,
        _identifier_matches(accounts, values, lookups),
        _name_matches(accounts, names, lambda account: [account.name]),
    )
