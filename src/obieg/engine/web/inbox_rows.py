"""What an inbox row shows, worked out once per page instead of once per row in the template.

The inbox is the page people open most, so its rows are rendered from plain
values: the three links are built from one reversed URL each (the id put
into its place, core/prepared_rows.py), overdue is judged against one clock
reading, the due date is formatted with one format lookup, each process's
name is worked out once (a page's rows share a few processes) and the
holder chosen here, the labels asked in the language read once. The rows'
HTML is then put together from these values in Python (inbox_rows_html.py,
printed by engine/_inbox_rows.html), and the inbox page reads only the
COLUMNS they need, as Records (selectors.inbox with `record=Record`): no
model instances for the items, their cases and people.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from obieg.core import clock
from obieg.core.models import Department
from obieg.core.prepared_rows import date_text, url_for_each
from obieg.engine import labels
from obieg.engine.models import ProcessDefinition, WorkItem, WorkItemStatus

# Who has the task, as the row's "Who" cell shows it.
MINE, PERSON, QUEUE, UNASSIGNED, NOBODY = "mine", "person", "queue", "unassigned", "nobody"


class Record(NamedTuple):
    """What `prepare` reads of a work item and its related rows, one inbox row's columns.

    The inbox page reads these and no more (selectors.inbox with `record=Record`
    gives each row as one); the labels read the definition's id and checksum.
    """

    id: int
    element_id: str
    name: str
    case_id: int
    due_at: datetime | None
    status: str
    assignee_id: int | None
    candidate_group: str
    candidate_department_id: int | None
    unmatched: str
    case__title: str
    case__definition_id: int
    case__definition__key: str
    case__definition__name: str
    case__definition__checksum: str
    assignee__first_name: str | None
    assignee__last_name: str | None
    assignee__username: str | None
    candidate_department__name: str | None


COLUMNS = Record._fields
# What the labels read of a process version (its names are parsed from its files once).
DEFINITION_COLUMNS = ("id", "key", "name", "checksum")


@dataclass(frozen=True, slots=True)
class InboxRow:
    """One inbox row as printed; `item` is the record it is made from."""

    item: Record
    pk: int
    element_id: str
    name: str
    task_url: str
    claim_url: str
    case_url: str
    case: str
    process: str
    due: str  # formatted in the reader's language; "" when undated
    overdue: bool
    queued: bool
    open: bool
    holder: str  # MINE, PERSON, QUEUE, UNASSIGNED or NOBODY
    holder_name: str


def prepare(items: Iterable[Record | WorkItem], user) -> list[InboxRow]:
    """The rows of `items` (records of COLUMNS, or work items) as `user` sees them."""
    task_url = url_for_each("engine:task")
    claim_url = url_for_each("engine:task_claim")
    case_url = url_for_each("engine:case_detail")
    due_text = date_text("SHORT_DATETIME_FORMAT")
    # Each process version once: what the labels read of it, its name in the reader's language.
    versions: dict[int, tuple[ProcessDefinition, str]] = {}
    language = translation.get_language() or settings.LANGUAGE_CODE  # what each label would ask
    now = clock.now()
    rows = []
    for item in items:
        if isinstance(item, WorkItem):
            item = record_of(item)
        is_open = item.status == WorkItemStatus.OPEN
        holder, holder_name = _holder(item, user, is_open)
        version = versions.get(item.case__definition_id)
        if version is None:
            definition = _definition(item)
            version = versions[definition.pk] = (
                definition,
                labels.process_label(definition, language),
            )
        definition, process = version
        rows.append(
            InboxRow(
                item=item,
                pk=item.id,
                element_id=item.element_id,
                name=labels.element_label(definition, item.element_id, item.name, language),
                task_url=task_url(item.id),
                claim_url=claim_url(item.id),
                case_url=case_url(item.case_id),
                case=labels.case_title(item.case__title, item.case_id, definition, language),
                process=process,
                due=due_text(item.due_at),
                overdue=is_open and item.due_at is not None and item.due_at < now,
                queued=is_open and item.assignee_id is None,
                open=is_open,
                holder=holder,
                holder_name=holder_name,
            )
        )
    return rows


def record_of(item: WorkItem) -> Record:
    """A work item (with its case, process, people loaded) as a record of COLUMNS."""
    values = []
    for column in COLUMNS:
        value = item
        for part in column.split("__"):
            value = getattr(value, part) if value is not None else None
        values.append(value)
    return Record._make(values)


def _definition(item: Record) -> ProcessDefinition:
    # As read from the database with only these columns: the labels read the version's
    # files (deferred) the first time this process meets it.
    values = (
        item.case__definition_id,
        item.case__definition__key,
        item.case__definition__name,
        item.case__definition__checksum,
    )
    return ProcessDefinition.from_db(None, DEFINITION_COLUMNS, values)


def _holder(item: Record, user, is_open: bool) -> tuple[str, str]:
    """Me, a person, a queue waiting for someone to claim it, or nobody the model names."""
    if item.assignee_id:
        if item.assignee_id == user.pk:
            return MINE, ""
        # The joined person's columns are set here: None only where no one is assigned.
        assignee = get_user_model()(
            first_name=item.assignee__first_name or "",
            last_name=item.assignee__last_name or "",
            username=item.assignee__username or "",
        )
        return PERSON, str(assignee)
    if item.candidate_department_id:
        return QUEUE, str(Department(name=item.candidate_department__name or ""))
    if item.candidate_group:
        return QUEUE, item.candidate_group
    if is_open:
        return UNASSIGNED, item.unmatched
    return NOBODY, ""
