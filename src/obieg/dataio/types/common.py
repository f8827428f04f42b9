"""Columns and look-ups that several record types share."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.pl import nip as stdnum_nip

from obieg.crm.models import Account
from obieg.dataio.columns import Column
from obieg.dataio.types.base import RowCheck, changeable_pks, record_id, visible_by


def _owner_login(record) -> str:
    return record.owner.username if record.owner_id else ""


ID = Column("id", gettext_lazy("ID"), ("identyfikator", "nr", "pk"), value=lambda record: record.pk)
OWNER = Column(
    "owner",
    gettext_lazy("Owner"),
    ("właściciel", "opiekun", "handlowiec", "login właściciela", "owner login"),
    value=_owner_login,
)
ACCOUNT_ID = Column(
    "account_id",
    gettext_lazy("Account ID"),
    ("id klienta", "id konta", "klient id"),
    value=lambda record: record.account_id,
)
ACCOUNT_NIP = Column(
    "account_nip",
    gettext_lazy("Account NIP"),
    ("nip klienta", "nip firmy", "nip konta"),
    value=lambda record: record.account.nip,
)
ACCOUNT_NAME = Column(
    "account_name",
    gettext_lazy("Account"),
    ("klient", "konto", "firma", "nazwa klienta", "account name", "company"),
    value=lambda record: record.account.name,
)
ACCOUNT_COLUMNS = (ACCOUNT_ID, ACCOUNT_NIP, ACCOUNT_NAME)
ACCOUNT_KEYS = tuple(column.key for column in ACCOUNT_COLUMNS)


def compact_nip(text: str) -> str:
    return stdnum_nip.compact(text) if text else ""


def prepare_accounts(user, rows: list[dict[str, str]]) -> dict[str, Any]:
    """The visible accounts the rows name by ID, NIP or name, in three queries."""
    ids = [record_id(row.get("account_id", "")) for row in rows]
    nips = [compact_nip(row["account_nip"]) for row in rows if row.get("account_nip")]
    names = [row["account_name"] for row in rows if row.get("account_name")]
    accounts = Account.objects.all()
    by: dict[str, dict] = {"account_id": {}, "account_nip": {}, "account_name": {}}
    found = {}
    for key, field, values in (
        ("account_id", "pk", ids),
        ("account_nip", "nip", nips),
        ("account_name", "name", names),
    ):
        for account in visible_by(accounts, user, field, values):
            found[account.pk] = account
            by[key].setdefault(getattr(account, field), []).append(account)
    return {"accounts": by, "changeable_accounts": changeable_pks(Account, user, found)}


def find_account(context: dict, check: RowCheck, values: dict, headers: dict) -> None:
    """The account a contact or opportunity row names (by ID, else NIP, else exact name)."""
    for key in ACCOUNT_KEYS:
        text = values.get(key) or ""
        if not text:
            continue
        lookup = record_id(text) if key == "account_id" else text
        if key == "account_nip":
            lookup = compact_nip(text)
        found = context["accounts"][key].get(lookup, [])
        if not found:
            check.error(
                headers[key], _("No account you can see matches “%(value)s”.") % {"value": text}
            )
            return
        if len(found) > 1:
            check.error(
                headers[key],
                _("Several accounts match “%(value)s”: give the account ID instead.")
                % {"value": text},
            )
            return
        account = found[0]
        if check.instance is not None and check.instance.account_id != account.pk:
            check.error(headers[key], _("An import does not move records to another account."))
            return
        check.parent = account
        break
    if check.parent is None and check.instance is not None:
        check.parent = check.instance.account
    if check.parent is None:
        check.error("", _("Name the account: its ID, NIP or name."))
    elif check.instance is None and check.parent.pk not in context["changeable_accounts"]:
        check.error(
            headers.get("account_id") or headers.get("account_nip") or headers["account_name"],
            _("You may view the account %(name)s but not add to it.") % {"name": check.parent.name},
        )
