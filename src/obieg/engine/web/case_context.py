"""What a task or case page shows around the work: the subject, its documents, what comes next.

The engine knows no business model, so the subject is presented generically:
its own URL when it has one, else the CRM page of the well-known kinds; its
own `case_summary()` when it has one, else a few well-known fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse

from obieg.core import access
from obieg.engine import labels, selectors
from obieg.engine.models import Case, CaseEvent, ProcessDefinition, WorkItem
from obieg.engine.reading import EVERYTHING, Reading
from obieg.engine.web import case_fields

# Detail pages of the records cases are usually about, by model label.
_DETAIL_URLS = {
    "crm.account": "account_detail",
    "crm.lead": "lead_detail",
    "crm.opportunity": "opportunity_detail",
    "sales.offer": "offer_detail",
    "sales.contract": "contract_detail",
    "documents.document": "document_detail",
    "billing.invoice": "billing:invoice_detail",
}
# Fields worth a glance beside a task, when the subject has them.
_SUMMARY_FIELDS = ("account", "owner", "status", "stage", "total_gross", "value_net", "nip", "city")
DOCUMENT_LIMIT = 10


@dataclass(frozen=True)
class Subject:
    record: models.Model
    kind: str
    url: str
    summary: list[tuple[str, object]]


def subject_of(case: Case) -> Subject | None:
    """The case's business record with a link and a few telling fields, or None."""
    if not case.subject_type_id:
        return None
    record = case.subject  # one query; None when the record was deleted
    if record is None:
        return None
    return Subject(
        record=record,
        kind=str(record._meta.verbose_name),
        url=_url_of(record),
        summary=_summary(record),
    )


def _url_of(record: models.Model) -> str:
    if hasattr(record, "get_absolute_url"):
        return record.get_absolute_url()
    name = _DETAIL_URLS.get(record._meta.label_lower)
    if name is None:
        return ""
    try:
        return reverse(name, args=[record.pk])
    except NoReverseMatch:
        return ""


def _summary(record: models.Model) -> list[tuple[str, object]]:
    # A record may name what matters beside its tasks itself (an inquiry: its offer's
    # margin against the minimum the approval table set), as (label, text) pairs.
    own = getattr(record, "case_summary", None)
    if callable(own):
        return list(own())
    rows = []
    for name in _SUMMARY_FIELDS:
        try:
            field = record._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not isinstance(field, models.Field):  # a reverse relation holds no value to show
            continue
        if field.choices:
            value = getattr(record, f"get_{name}_display")()
        else:
            value = getattr(record, name)
        if value not in (None, ""):
            rows.append((str(field.verbose_name), value))
    return rows


def case_documents(user, case: Case, *, reading: Reading = EVERYTHING) -> list:
    """Documents attached to the case itself, then those of its subject the user may see.

    Only the kinds `reading` lets the user read (an installer: the schematic, not invoices).
    """
    if not apps.is_installed("obieg.documents"):
        return []
    document_model = apps.get_model("documents", "Document")
    documents = document_model.objects.select_related("account").order_by("-updated_at", "-id")
    if reading.document_kinds is not None:
        documents = documents.filter(kind__in=reading.document_kinds)
    # Attached to the case: its participants see them as they see the case.
    found = list(
        documents.filter(subject_type=ContentType.objects.get_for_model(Case), subject_id=case.pk)[
            :DOCUMENT_LIMIT
        ]
    )
    if len(found) < DOCUMENT_LIMIT and case.subject_type is not None:
        of_subject = models.Q(subject_type_id=case.subject_type_id, subject_id=case.subject_id)
        if case.subject_type.model == "account" and case.subject_type.app_label == "crm":
            of_subject |= models.Q(account_id=case.subject_id)
        found += list(
            access.visible(documents.filter(of_subject), user)[: DOCUMENT_LIMIT - len(found)]
        )
    return found


def next_task(user, *, case_id: int) -> WorkItem | None:
    """The user's next task of the same case, if any; else the inbox is where they go.

    Never another case's: an identical form of another customer, opened
    without the person choosing it, is how data ends up on the wrong case.
    """
    items = [item for item in selectors.inbox(user) if item.case_id == case_id]
    return items[0] if items else None


def data_rows(data: dict, fields: dict | None = None) -> list[tuple[str, str]]:
    """Case data (or a history line's data) as label/text pairs, read through the case's forms."""
    return case_fields.rows(data, fields or {})


@dataclass(frozen=True)
class HistoryLine:
    event: CaseEvent
    details: list[tuple[str, str]]
    name: str = ""  # the step's name in the reader's language, by the version it ran on


def history_lines(
    case: Case,
    *,
    last: int | None = None,
    reading: Reading = EVERYTHING,
    fields: dict | None = None,
) -> list[HistoryLine]:
    """The case's timeline, oldest first (only the `last` few when given).

    Each line's data is narrowed by `reading`, as the case data is.
    """
    if last is None:
        events = selectors.case_history(case)
    else:  # read only the newest few, not the whole timeline
        newest = case.events.select_related("actor").order_by("-at", "-id")[:last]
        events = list(newest)[::-1]
    if fields is None:
        fields = case_fields.fields_of(case)
    names = _step_names(case, events)
    return [
        HistoryLine(event, data_rows(reading.data(event.data), fields), name)
        for event, name in zip(events, names, strict=True)
    ]


def _step_names(case: Case, events: list[CaseEvent]) -> list[str]:
    """Each event's step name, read from the version the case ran on when it happened.

    A case moved to a new version (a `migrated` event names the one it left)
    did its earlier steps on the old version, whose element may since have been
    renamed or removed: walking back from the newest event, each migration
    switches to the version before it.
    """
    left = [
        event.data.get("from_definition")
        for event in events
        if event.kind == CaseEvent.Kind.MIGRATED and isinstance(event.data, dict)
    ]
    versions = ProcessDefinition.objects.in_bulk([pk for pk in left if isinstance(pk, int)])
    definition = case.definition
    names = []
    for event in reversed(events):
        names.append(labels.element_label(definition, event.element_id, event.name))
        if event.kind == CaseEvent.Kind.MIGRATED and isinstance(event.data, dict):
            definition = versions.get(event.data.get("from_definition"), definition)
    return names[::-1]


@dataclass(frozen=True)
class Comment:
    event: CaseEvent
    label: str
    text: str


COMMENT_LIMIT = 5
COMMENT_SCAN = 50


def comments(case: Case, *, reading: Reading = EVERYTHING, fields: dict) -> list[Comment]:
    """What people wrote to the next ones when they completed a task (a return's reason,
    a board's comment), newest first: the task page shows them above the form."""
    events = (
        case.events.filter(kind=CaseEvent.Kind.TASK_COMPLETED)
        .select_related("actor")
        .order_by("-at", "-id")[:COMMENT_SCAN]
    )
    found = []
    for event in events:
        data = reading.data(event.data)
        for key in sorted(data):
            text = data[key]
            if case_fields.is_comment(key) and isinstance(text, str) and text.strip():
                found.append(Comment(event, case_fields.label(key, fields), text.strip()))
        if len(found) >= COMMENT_LIMIT:
            break
    return found[:COMMENT_LIMIT]


def user_steps(definition: ProcessDefinition) -> list[tuple[str, str]]:
    """The user tasks of a process version as (element id, name), for the inbox's step filter.

    Names in the reader's language, sorted as they read them. The tasks come
    from the version's own file as `labels` parsed it, once per process.
    """
    version = labels.labels_for(definition)
    steps = {
        element_id: labels.element_label(definition, element_id, name) or element_id
        for element_id, name in version.user_tasks.get(definition.source_name, [])
    }
    return sorted(steps.items(), key=lambda step: step[1])
