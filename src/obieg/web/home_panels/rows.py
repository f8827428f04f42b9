"""The home page's lists as printed: planned activities, meetings and leads, prepared once.

The home is the first page everyone opens, and a salesperson's shows some
fifty rows in four lists. Read as whole models with their account and
contact, and printed through {% url %}, get_FOO_display and the date filter
per row, they cost more than the rest of the page. Each list is read here
as the few columns it prints (one statement, the account and contact
joined) and its rows made from plain values with core/prepared_rows.py:
one reverse per kind of link, the kinds' labels translated once, each date
format looked up once. The templates only print; the HTML is what the
per-row templates printed (tests/web/test_home_rows.py compares them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from obieg.core import reader_statements
from obieg.core.prepared_rows import choice_labels, date_text, url_for_each
from obieg.crm.models import Activity, Lead
from obieg.crm.selectors import pipeline

ACTIVITY_FIELDS = (
    "pk",
    "occurs_at",
    "kind",
    "subject",
    "account_id",
    "account__name",
    "contact_id",
    "contact__first_name",
    "contact__last_name",
)


@dataclass(frozen=True, slots=True)
class ActivityRow:
    pk: int
    occurs_at: datetime
    subject: str
    kind: str  # the kind's label, as get_kind_display gives it
    when: str  # occurs_at in local time, in the list's format
    late: bool  # before the list's cut-off (left over, or already past)
    edit_url: str
    account_id: int
    account: str  # the account's name, as str(account)
    account_url: str  # its page, or its activities, as the list links to
    contact: str  # str(contact), "" when the activity names none


def activity_rows(
    activities: Iterable[tuple],
    *,
    late_before: datetime,
    late_format: str,
    on_time_format: str | None = None,
    account_link: str = "account_activities",
) -> list[ActivityRow]:
    """`activities` (ordered, capped, within the reader's scope), read as ACTIVITY_FIELDS, as rows.

    A row is late when it occurs before `late_before`; its time is written
    with `late_format`, or `on_time_format` when it is not late (the same
    format when that is None).
    """
    late_text = date_text(late_format)
    on_time_text = date_text(on_time_format) if on_time_format else late_text
    kinds = choice_labels(Activity.Kind.choices)
    edit_url = url_for_each("activity_edit")
    account_url = url_for_each(account_link)
    rows = []
    for (
        pk,
        occurs_at,
        kind,
        subject,
        account_id,
        account,
        contact_id,
        first,
        last,
    ) in activities:
        late = occurs_at < late_before
        rows.append(
            ActivityRow(
                pk=pk,
                occurs_at=occurs_at,
                subject=subject,
                kind=kinds.get(kind, kind),
                when=(late_text if late else on_time_text)(occurs_at),
                late=late,
                edit_url=edit_url(pk),
                account_id=account_id,
                account=account,
                account_url=account_url(account_id),
                # ContactPerson.__str__, for a contact joined as two columns.
                contact=f"{first} {last}" if contact_id is not None else "",
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class LeadRow:
    pk: int
    name: str  # as str(lead): the company, else the contact
    status: str  # the status's label
    created: str  # "j.m"
    url: str


def lead_rows(user) -> list[LeadRow]:
    """The reader's leads to work on (crm.selectors.pipeline.leads_to_work) as rows."""
    statuses = choice_labels(Lead.Status.choices)
    url = url_for_each("lead_detail")
    created = date_text("j.m")
    return [
        LeadRow(
            pk=pk,
            name=company or contact,
            status=statuses.get(status, status),
            created=created(created_at),
            url=url(pk),
        )
        for pk, company, contact, status, created_at in reader_statements.rows(
            "home.leads",
            user,
            models=(Lead,),
            build=lambda reader, _values: pipeline.leads_to_work(reader).values_list(
                "pk", "company_name", "contact_name", "status", "created_at"
            ),
        )
    ]
