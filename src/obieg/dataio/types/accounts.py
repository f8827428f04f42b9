"""Accounts: checked by the account form, written by `account_create` / `account_update`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from obieg.core.identifiers import Voivodeship
from obieg.crm import services
from obieg.crm.models import Account
from obieg.crm.selectors.accounts import account_page
from obieg.dataio.columns import CHOICE, PESEL, REGON, Column
from obieg.dataio.types.base import RecordType, RowCheck, changeable_pks, visible_by
from obieg.dataio.types.common import ID, OWNER, compact_nip
from obieg.web.forms.accounts import AccountFilterForm, AccountForm

# Rows read per query while exporting; the list's own selector serves each batch.
EXPORT_BATCH = 1000
LANGUAGES = (("pl", gettext_lazy("Polish")), ("en", gettext_lazy("English")))


def account_columns() -> tuple[Column, ...]:
    return (
        ID,
        Column(
            "kind",
            gettext_lazy("Kind"),
            ("rodzaj", "typ", "typ klienta"),
            CHOICE,
            tuple(Account.Kind.choices),
            value=lambda a: a.kind,
        ),
        Column(
            "name",
            gettext_lazy("Name"),
            ("nazwa", "nazwa firmy", "firma", "klient", "company name", "organization"),
            value=lambda a: a.name,
        ),
        Column(
            "nip", gettext_lazy("NIP"), ("vat id", "tax id", "nip firmy"), value=lambda a: a.nip
        ),
        Column("regon", gettext_lazy("REGON"), (), REGON, value=lambda a: a.regon),
        Column("pesel", gettext_lazy("PESEL"), (), PESEL, value=lambda a: a.pesel),
        Column("email", gettext_lazy("E-mail"), ("adres e-mail", "mail"), value=lambda a: a.email),
        Column(
            "phone",
            gettext_lazy("Phone"),
            ("telefon", "tel", "nr telefonu", "numer telefonu"),
            value=lambda a: a.phone,
        ),
        Column(
            "website",
            gettext_lazy("Website"),
            ("strona", "strona www", "www"),
            value=lambda a: a.website,
        ),
        Column(
            "street",
            gettext_lazy("Street and number"),
            ("ulica", "adres", "ulica i numer", "street", "address"),
            value=lambda a: a.street,
        ),
        Column(
            "postal_code",
            gettext_lazy("Postal code"),
            ("kod", "kod pocztowy", "zip"),
            value=lambda a: a.postal_code,
        ),
        Column(
            "city", gettext_lazy("City"), ("miasto", "miejscowość", "town"), value=lambda a: a.city
        ),
        Column(
            "voivodeship",
            gettext_lazy("Voivodeship"),
            ("województwo", "region", "province"),
            CHOICE,
            tuple(Voivodeship.choices),
            value=lambda a: a.voivodeship,
        ),
        Column(
            "language",
            gettext_lazy("Language"),
            ("język",),
            CHOICE,
            LANGUAGES,
            value=lambda a: a.language,
        ),
        OWNER,
        Column(
            "notes", gettext_lazy("Notes"), ("notatki", "uwagi", "opis"), value=lambda a: a.notes
        ),
    )


class AccountType(RecordType):
    key = "accounts"
    label = gettext_lazy("Accounts")
    model = Account
    list_url = "account_list"
    custom_record_type = "account"
    required = (("name", "id", "nip"),)

    def __init__(self):
        self.fixed_columns = account_columns()

    def create_form(self, user, data):
        return AccountForm(data, user=user)

    def update_form(self, user, instance, data):
        return AccountForm(data, instance=instance, user=user)

    def create(self, user, check: RowCheck):
        return services.account_create(actor=user, data=check.data)

    def update(self, user, check: RowCheck, revision):
        return services.account_update(
            actor=user, account=check.instance, data=check.data, revision=revision
        )

    def row_label(self, check: RowCheck, values: dict[str, Any]) -> str:
        return values.get("name") or (check.instance.name if check.instance else "")

    def prepare(self, user, rows):
        nips = {compact_nip(row["nip"]) for row in rows if row.get("nip") and not row.get("id")}
        by_nip: dict[str, list[Account]] = {}
        for account in visible_by(Account.objects.all(), user, "nip", nips):
            by_nip.setdefault(account.nip, []).append(account)
        pks = [account.pk for found in by_nip.values() for account in found]
        return {"by_nip": by_nip, "changeable_by_nip": changeable_pks(Account, user, pks)}

    def match(self, context, check: RowCheck, values, headers):
        """A row without an ID updates the account with its NIP, when the reader sees one."""
        nip = compact_nip(values.get("nip") or "")
        if check.instance is not None or not nip:
            return
        found = context["by_nip"].get(nip, [])
        if len(found) > 1:
            check.error(
                headers["nip"],
                _("Several accounts have this NIP: add an ID column to say which one."),
            )
        elif found:
            check.instance = found[0]
            if found[0].pk not in context["changeable_by_nip"]:
                check.error(headers["nip"], _("You may view this record but not change it."))

    def new_identity(self, check: RowCheck):
        nip = check.data.get("nip")
        return ("nip", nip) if nip else None

    def export_pages(self, request) -> Iterator[list]:
        user = request.user
        filters = AccountFilterForm(request.GET).filters()
        cursor = None
        while True:
            page = account_page(user, filters, cursor=cursor, size=EXPORT_BATCH)
            yield page.rows
            if not page.has_next:
                return
            cursor = page.next_cursor
