"""Contact persons: checked by the contact form, written by `contact_create` / `contact_update`.

There is no list of all contacts: they are exported for the accounts of the
account list as it is filtered, in the same order, each account's contacts
as its page shows them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from obieg.core import access
from obieg.crm import services
from obieg.crm.models import ContactPerson
from obieg.crm.selectors.accounts import account_page
from obieg.dataio.columns import BOOLEAN, CHOICE, Column
from obieg.dataio.types.accounts import EXPORT_BATCH, LANGUAGES
from obieg.dataio.types.base import RecordType, RowCheck, changeable_pks, chunks
from obieg.dataio.types.common import (
    ACCOUNT_COLUMNS,
    ACCOUNT_KEYS,
    ID,
    find_account,
    prepare_accounts,
)
from obieg.web.forms.accounts import AccountFilterForm
from obieg.web.forms.contacts import ContactForm


def contact_columns() -> tuple[Column, ...]:
    return (
        ID,
        *ACCOUNT_COLUMNS,
        Column(
            "first_name", gettext_lazy("First name"), ("imię", "imie"), value=lambda c: c.first_name
        ),
        Column(
            "last_name",
            gettext_lazy("Last name"),
            ("nazwisko", "surname"),
            value=lambda c: c.last_name,
        ),
        Column(
            "position",
            gettext_lazy("Position"),
            ("stanowisko", "funkcja", "job title", "title"),
            value=lambda c: c.position,
        ),
        Column("email", gettext_lazy("E-mail"), ("adres e-mail", "mail"), value=lambda c: c.email),
        Column(
            "phone",
            gettext_lazy("Phone"),
            ("telefon", "tel", "komórka", "mobile"),
            value=lambda c: c.phone,
        ),
        Column(
            "is_primary",
            gettext_lazy("Primary contact"),
            ("główny kontakt", "glowny", "primary", "główny"),
            BOOLEAN,
            value=lambda c: c.is_primary,
        ),
        Column(
            "language",
            gettext_lazy("Language"),
            ("język",),
            CHOICE,
            LANGUAGES,
            value=lambda c: c.language,
        ),
    )


class ContactType(RecordType):
    key = "contacts"
    label = gettext_lazy("Contact persons")
    model = ContactPerson
    list_url = "account_list"
    custom_record_type = "contact"
    required = (("first_name", "id"), ("last_name", "id"), ("id", *ACCOUNT_KEYS))

    def __init__(self):
        self.fixed_columns = contact_columns()

    def queryset(self):
        return ContactPerson.objects.select_related("account")

    def create_form(self, user, data):
        return ContactForm(data)

    def update_form(self, user, instance, data):
        return ContactForm(data, instance=instance)

    def create(self, user, check: RowCheck):
        return services.contact_create(actor=user, account=check.parent, data=check.data)

    def update(self, user, check: RowCheck, revision):
        return services.contact_update(
            actor=user, contact=check.instance, data=check.data, revision=revision
        )

    def row_label(self, check: RowCheck, values: dict[str, Any]) -> str:
        instance = check.instance
        first = values.get("first_name") or (instance.first_name if instance else "")
        last = values.get("last_name") or (instance.last_name if instance else "")
        name = f"{first} {last}".strip()
        return f"{name} ({check.parent.name})" if check.parent is not None else name

    def prepare(self, user, rows):
        context = prepare_accounts(user, rows)
        # A row without an ID updates the contact of its account with the same e-mail.
        emails = {row["email"].casefold() for row in rows if row.get("email") and not row.get("id")}
        accounts = {
            account.pk
            for by_value in context["accounts"].values()
            for found in by_value.values()
            for account in found
        }
        by_email: dict[tuple, ContactPerson] = {}
        if emails and accounts:
            for part in chunks(accounts):
                contacts = access.visible(
                    ContactPerson.objects.filter(account__in=part).exclude(email=""), user
                ).select_related("account")
                for contact in contacts:
                    if contact.email.casefold() in emails:
                        by_email.setdefault((contact.account_id, contact.email.casefold()), contact)
        context["contacts_by_email"] = by_email
        context["changeable_by_email"] = changeable_pks(
            ContactPerson, user, [contact.pk for contact in by_email.values()]
        )
        return context

    def match(self, context, check: RowCheck, values, headers):
        find_account(context, check, values, headers)
        email = (values.get("email") or "").casefold()
        if check.instance is None and check.parent is not None and email:
            found = context["contacts_by_email"].get((check.parent.pk, email))
            if found is not None:
                check.instance = found
                if found.pk not in context["changeable_by_email"]:
                    check.error(headers["email"], _("You may view this record but not change it."))

    def new_identity(self, check: RowCheck):
        email = (check.data.get("email") or "").casefold()
        return ("email", check.parent.pk, email) if email else None

    def export_pages(self, request) -> Iterator[list]:
        user = request.user
        filters = AccountFilterForm(request.GET).filters()
        cursor = None
        while True:
            page = account_page(user, filters, cursor=cursor, size=EXPORT_BATCH)
            order = {account.pk: index for index, account in enumerate(page.rows)}
            contacts = access.visible(
                ContactPerson.objects.filter(account__in=list(order)), user
            ).select_related("account")
            yield sorted(contacts, key=lambda contact: order[contact.account_id])
            if not page.has_next:
                return
            cursor = page.next_cursor
