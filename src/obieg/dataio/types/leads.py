"""Leads: checked by the lead forms, written by `lead_create` / `lead_update`.

An imported lead enters as a typed one does: through `lead_create`, owned by
the importer unless a manager names its owner. Import never converts a lead;
conversion (and what listens to it through `crm.opportunity_hooks`) stays the
lead page's `lead_convert`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from obieg.core.pagination import keyset_page
from obieg.crm import services
from obieg.crm.models import Lead
from obieg.crm.selectors import pipeline
from obieg.dataio.columns import CHOICE, Column
from obieg.dataio.types.accounts import EXPORT_BATCH
from obieg.dataio.types.base import RecordType, RowCheck
from obieg.dataio.types.common import ID, OWNER
from obieg.web.forms.leads import LEAD_FIELDS, LeadEditForm, LeadForm
from obieg.web.views.leads import lead_list_filters
from obieg.web.views.sales_common import choice_param


class LeadImportForm(LeadForm):
    """The new-lead form, and the status a lead from another CRM already has."""

    class Meta(LeadForm.Meta):
        fields = [*LEAD_FIELDS, "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A converted lead has an account and an opportunity: only conversion makes one.
        self.fields["status"].choices = [
            choice for choice in Lead.Status.choices if choice[0] != Lead.Status.CONVERTED
        ]


def lead_columns() -> tuple[Column, ...]:
    return (
        ID,
        Column(
            "source",
            gettext_lazy("Source"),
            ("źródło", "zrodlo", "kanał", "lead source"),
            CHOICE,
            tuple(Lead.Source.choices),
            value=lambda lead: lead.source,
            choice_aliases=(
                ("targi", Lead.Source.EVENT),
                ("wydarzenie", Lead.Source.EVENT),
                ("event", Lead.Source.EVENT),
                ("polecenie", Lead.Source.REFERRAL),
                ("telefon", Lead.Source.PHONE),
                ("formularz", Lead.Source.WEB_FORM),
                ("www", Lead.Source.WEB_FORM),
                ("strona", Lead.Source.WEB_FORM),
                ("website", Lead.Source.WEB_FORM),
                ("handlowiec", Lead.Source.SALESPERSON),
                ("inne", Lead.Source.OTHER),
            ),
        ),
        Column(
            "status",
            gettext_lazy("Status"),
            ("stan", "lead status"),
            CHOICE,
            tuple(Lead.Status.choices),
            value=lambda lead: lead.status,
        ),
        Column(
            "company_name",
            gettext_lazy("Company name"),
            ("firma", "nazwa firmy", "nazwa", "company", "organization"),
            value=lambda lead: lead.company_name,
        ),
        Column(
            "contact_name",
            gettext_lazy("Contact name"),
            ("osoba", "osoba kontaktowa", "imię i nazwisko", "kontakt", "name", "person"),
            value=lambda lead: lead.contact_name,
        ),
        Column(
            "email", gettext_lazy("E-mail"), ("adres e-mail", "mail"), value=lambda lead: lead.email
        ),
        Column(
            "phone",
            gettext_lazy("Phone"),
            ("telefon", "tel", "nr telefonu"),
            value=lambda lead: lead.phone,
        ),
        Column("nip", gettext_lazy("NIP"), ("vat id", "tax id"), value=lambda lead: lead.nip),
        Column(
            "postal_code",
            gettext_lazy("Postal code"),
            ("kod", "kod pocztowy", "zip"),
            value=lambda lead: lead.postal_code,
        ),
        Column(
            "city",
            gettext_lazy("City"),
            ("miasto", "miejscowość", "town"),
            value=lambda lead: lead.city,
        ),
        Column(
            "description",
            gettext_lazy("Description"),
            ("opis", "notatki", "uwagi", "notes"),
            value=lambda lead: lead.description,
        ),
        OWNER,
    )


class LeadType(RecordType):
    key = "leads"
    label = gettext_lazy("Leads")
    model = Lead
    list_url = "lead_list"
    custom_record_type = "lead"
    required = (("contact_name", "id"),)
    # A lead from a list or another CRM rarely says how it came: "other" until told.
    create_defaults = {"source": Lead.Source.OTHER, "status": Lead.Status.NEW}

    def __init__(self):
        self.fixed_columns = lead_columns()

    def create_form(self, user, data):
        return LeadImportForm(data)

    def update_form(self, user, instance, data):
        return LeadEditForm(data, instance=instance)

    def create(self, user, check: RowCheck):
        return services.lead_create(actor=user, data=check.data)

    def update(self, user, check: RowCheck, revision):
        return services.lead_update(
            actor=user, lead=check.instance, data=check.data, revision=revision
        )

    def row_label(self, check: RowCheck, values: dict[str, Any]) -> str:
        if check.instance is not None:
            return values.get("company_name") or values.get("contact_name") or str(check.instance)
        return values.get("company_name") or values.get("contact_name") or ""

    def match(self, context, check: RowCheck, values, headers):
        if check.instance is not None and check.instance.status == Lead.Status.CONVERTED:
            check.error(headers["id"], _("A converted lead can no longer be changed."))

    def export_pages(self, request) -> Iterator[list]:
        leads = pipeline.lead_search(request.user, **lead_list_filters(request))
        sort = choice_param(
            request, "sort", pipeline.LEAD_ORDERINGS, next(iter(pipeline.LEAD_ORDERINGS))
        )
        yield from keyset_batches(leads, pipeline.LEAD_ORDERINGS[sort])


def keyset_batches(queryset, ordering: list[str]) -> Iterator[list]:
    """All rows of `queryset` in `ordering`, a keyset page at a time (never OFFSET)."""
    cursor = None
    while True:
        page = keyset_page(
            queryset, ordering=ordering, cursor=cursor, size=EXPORT_BATCH, count=False
        )
        yield page.rows
        if not page.has_next:
            return
        cursor = page.next_cursor
