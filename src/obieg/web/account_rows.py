"""The customer 360° page's rows as printed: its timeline, documents and lists.

The page draws ten activities, up to five documents of each kind and the
first rows of each list. Through {% url %}, {% include %}, get_FOO_display
and the date and pln filters for every row, the template cost more than all
the page's queries. Each row is worked out here from plain values instead
(core/prepared_rows.py: one reverse per kind of link, labels translated
once, one date format lookup) and the templates only print it, as the list
pages do (web/list_rows.py). The HTML is the same as the per-row templates
gave (tests/web/test_account_rows.py compares the two).

A list whose kind has no preparer here (one an app adds, such as a
solution's inquiries) keeps its rows as records: its template reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.template.defaultfilters import linebreaksbr, truncatechars, truncatewords
from django.urls import NoReverseMatch
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext

from obieg.core.prepared_rows import (
    NOBODY,
    date_text,
    field_labels,
    name_or_nobody,
    url_for_each,
)
from obieg.crm.models import Activity, ContactPerson, Lead, Opportunity
from obieg.crm.selectors.account_sections import Section
from obieg.customfields import display
from obieg.web.templatetags.sales_format import percent, pln


def _optional_url(name: str) -> Callable[[int], str]:
    """`url_for_each(name)`, or "" for every id while that view is not installed
    (as the `optional_url` tag: the 360° page links to sales pages that may be absent)."""
    try:
        return url_for_each(name)
    except NoReverseMatch:
        return lambda pk: ""


# The timeline (web/activities/_timeline_entry.html)

_ACTIVITY_ICONS = {"meeting": "bi-people", "call": "bi-telephone", "email": "bi-envelope"}
_STATUS_BADGES = {"done": "text-bg-success", "cancelled": "text-bg-secondary"}


@dataclass(frozen=True, slots=True)
class TimelineItem:
    pk: int
    status: str
    revision: int
    icon: str
    subject: str
    status_badge: str
    status_label: str
    outcome: str  # its label, "" when none
    occurs_iso: str
    occurs_at: str
    kind_label: str
    owner: str  # "" when none
    contact: str
    duration: str
    body: str
    done_url: str
    edit_url: str
    delete_url: str


# What `timeline_items` reads of an activity, its owner and contact person (their names):
# the timeline's query reads only these (crm.selectors.accounts.account_activity_page).
TIMELINE_COLUMNS = (
    "status",
    "revision",
    "kind",
    "subject",
    "outcome",
    "occurs_at",
    "duration_minutes",
    "body",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
    "contact__first_name",
    "contact__last_name",
)


def timeline_items(activities: Iterable[Activity]) -> list[TimelineItem]:
    done_url = url_for_each("activity_mark_done")
    edit_url = url_for_each("activity_edit")
    delete_url = url_for_each("activity_delete")
    statuses = field_labels(Activity, "status")
    outcomes = field_labels(Activity, "outcome")
    kinds = field_labels(Activity, "kind")
    iso, short = date_text("c"), date_text("SHORT_DATETIME_FORMAT")
    items = []
    for activity in activities:
        minutes = activity.duration_minutes
        items.append(
            TimelineItem(
                pk=activity.pk,
                status=activity.status,
                revision=activity.revision,
                icon=_ACTIVITY_ICONS.get(activity.kind, "bi-journal-text"),
                subject=activity.subject,
                status_badge=_STATUS_BADGES.get(activity.status, "text-bg-warning"),
                status_label=statuses.get(activity.status, activity.status),
                outcome=outcomes.get(activity.outcome, activity.outcome)
                if activity.outcome
                else "",
                occurs_iso=iso(activity.occurs_at),
                occurs_at=short(activity.occurs_at),
                kind_label=capfirst(kinds.get(activity.kind, activity.kind)),
                owner=str(activity.owner) if activity.owner else "",
                contact=str(activity.contact) if activity.contact else "",
                # As {% blocktranslate %} gives it: the value localised and escaped.
                duration=mark_safe(
                    gettext("%(minutes)s min") % {"minutes": conditional_escape(localize(minutes))}
                )
                if minutes
                else "",
                body=linebreaksbr(truncatewords(activity.body, 60), autoescape=True)
                if activity.body
                else "",
                done_url=done_url(activity.pk),
                edit_url=edit_url(activity.pk),
                delete_url=delete_url(activity.pk),
            )
        )
    return items


# The documents card (web/accounts/_documents.html)


@dataclass(frozen=True, slots=True)
class DocumentLine:
    url: str
    title: str
    version: int
    updated: str


@dataclass(frozen=True, slots=True)
class DocumentGroup:
    kind: str
    label: str
    count: int
    newest: list[DocumentLine]
    all_of_kind: str  # "All 12 documents" when there are more than shown, else ""


def document_groups(groups: Iterable) -> list[DocumentGroup]:
    """documents.selectors.documents_by_kind's groups, as printed."""
    url = url_for_each("document_detail")
    short_date = date_text()
    prepared = []
    for group in groups:
        newest = [
            DocumentLine(
                url=url(document.pk),
                title=document.title,
                version=document.current_version,
                updated=short_date(document.updated_at),
            )
            for document in group.newest
        ]
        all_of_kind = ""
        if group.count > len(newest):
            # As {% blocktranslate count %} gives it: the number localised and escaped.
            all_of_kind = mark_safe(
                ngettext("All %(counter)s document", "All %(counter)s documents", group.count)
                % {"counter": conditional_escape(localize(group.count))}
            )
        prepared.append(
            DocumentGroup(group.kind, capfirst(group.label), group.count, newest, all_of_kind)
        )
    return prepared


# The lists (web/accounts/_*_rows.html)


@dataclass(frozen=True, slots=True)
class CustomText:
    key: str
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class ContactRow:
    name: str
    is_primary: bool
    position: str
    email: str
    phone: str
    custom: tuple[CustomText, ...]  # the list's custom fields that have a value
    edit_url: str
    delete_url: str


def contact_rows(contacts: Iterable[ContactPerson], fields: Sequence = ()) -> list[ContactRow]:
    edit_url = url_for_each("contact_edit")
    delete_url = url_for_each("contact_delete")
    labels = [(field, field.label) for field in fields]
    rows = []
    for contact in contacts:
        stored = getattr(contact, "custom", None) or {}
        custom = []
        for field, label in labels:
            text = display.text_of(field, stored.get(field.key))
            if text:
                custom.append(CustomText(field.key, label, text))
        rows.append(
            ContactRow(
                name=str(contact),
                is_primary=contact.is_primary,
                position=contact.position,
                email=contact.email,
                phone=contact.phone,
                custom=tuple(custom),
                edit_url=edit_url(contact.pk),
                delete_url=delete_url(contact.pk),
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class Badge:
    css: str
    label: str


@dataclass(frozen=True, slots=True)
class OpportunityRow:
    url: str  # "" while the opportunity pages are not installed
    name: str
    stage: Badge
    value: str
    expected_close: str
    owner: str


_STAGE_BADGES = {"won": "text-bg-success", "lost": "text-bg-secondary"}


def opportunity_rows(opportunities: Iterable[Opportunity]) -> list[OpportunityRow]:
    url = _optional_url("opportunity_detail")
    stages = field_labels(Opportunity, "stage")
    short_date = date_text()
    return [
        OpportunityRow(
            url=url(opportunity.pk),
            name=opportunity.name,
            stage=Badge(
                _STAGE_BADGES.get(opportunity.stage, "text-bg-primary"),
                stages.get(opportunity.stage, opportunity.stage),
            ),
            value=pln(opportunity.value),
            expected_close=short_date(opportunity.expected_close) or NOBODY,
            owner=name_or_nobody(opportunity.owner),
        )
        for opportunity in opportunities
    ]


@dataclass(frozen=True, slots=True)
class OfferRow:
    url: str
    number: str
    revision_number: int
    superseded: bool
    title: str
    status: Badge
    gross: str
    margin: str


def offer_rows(offers: Iterable) -> list[OfferRow]:
    rows: list[OfferRow] = []
    url = _optional_url("offer_detail")
    labels: dict[str, str] | None = None
    for offer in offers:
        if labels is None:  # offers are the sales app's: their model is known from a row
            labels = field_labels(type(offer), "status")
        superseded = offer.is_superseded
        if offer.status == "accepted":
            css = "text-bg-success"
        elif offer.status == "rejected":
            css = "text-bg-danger"
        elif superseded:
            css = "text-bg-light border"
        else:
            css = "text-bg-primary"
        rows.append(
            OfferRow(
                url=url(offer.pk),
                number=offer.number,
                revision_number=offer.revision_number,
                superseded=superseded,
                title=offer.title,
                status=Badge(css, labels.get(offer.status, offer.status)),
                gross=pln(offer.total_gross),
                margin=percent(offer.margin),
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class ContractRow:
    url: str
    number: str
    title: str
    status: Badge
    gross: str
    signed_on: str


_CONTRACT_BADGES = {
    "signed": "text-bg-success",
    "completed": "text-bg-success",
    "terminated": "text-bg-secondary",
}


def contract_rows(contracts: Iterable) -> list[ContractRow]:
    rows: list[ContractRow] = []
    url = _optional_url("contract_detail")
    short_date = date_text()
    labels: dict[str, str] | None = None
    for contract in contracts:
        if labels is None:
            labels = field_labels(type(contract), "status")
        rows.append(
            ContractRow(
                url=url(contract.pk),
                number=contract.number,
                title=contract.title,
                status=Badge(
                    _CONTRACT_BADGES.get(contract.status, "text-bg-primary"),
                    labels.get(contract.status, contract.status),
                ),
                gross=pln(contract.value_gross),
                signed_on=short_date(contract.signed_on) or NOBODY,
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class LeadRow:
    url: str
    name: str
    source: str
    status: str
    created: str
    description: SafeString | str  # shortened, its line breaks kept; "" when none


def lead_rows(leads: Iterable[Lead]) -> list[LeadRow]:
    url = _optional_url("lead_detail")
    sources = field_labels(Lead, "source")
    statuses = field_labels(Lead, "status")
    short_date = date_text()
    return [
        LeadRow(
            url=url(lead.pk),
            name=str(lead),
            source=sources.get(lead.source, lead.source),
            status=statuses.get(lead.status, lead.status),
            created=short_date(lead.created_at),
            description=linebreaksbr(truncatechars(lead.description, 400), autoescape=True)
            if lead.description
            else "",
        )
        for lead in leads
    ]


_PREPARERS: dict[str, Callable[[list], list]] = {
    "opportunities": opportunity_rows,
    "offers": offer_rows,
    "contracts": contract_rows,
    "leads": lead_rows,
}


def section_rows(kind: str, records: list, *, contact_fields: Sequence = ()) -> list[Any]:
    """One page of a list of the 360° page as its rows template prints it."""
    if kind == "contacts":
        return contact_rows(records, contact_fields)
    prepare = _PREPARERS.get(kind)
    return prepare(records) if prepare else records


@dataclass(frozen=True)
class ShownSection(Section):
    """A section of the page with its first rows prepared (`rows`); `page.rows` stay records."""

    rows: list[Any]


def shown_sections(sections: dict[str, Section], contact_fields: Sequence) -> dict[str, Section]:
    return {
        kind: ShownSection(
            kind=section.kind,
            count=section.count,
            page=section.page,
            rows=section_rows(kind, section.page.rows, contact_fields=contact_fields),
        )
        for kind, section in sections.items()
    }
