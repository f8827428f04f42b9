"""What an inbox row shows, worked out once per page instead of once per row in the template.

The inbox is the page people open most, so its rows are rendered from plain
values: the three links are built from one reversed URL each (the id put
into its place, core/prepared_rows.py), overdue is judged against one clock
reading, the due date is formatted with one format lookup, each process's
name is worked out once (a page's rows share a few processes) and the
holder chosen here, the labels asked in the language read once. The rows'
HTML is then put together from these values in Python (inbox_rows_html.py,
printed by engine/_inbox_rows.html), and the inbox page reads only the
COLUMNS they need.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from obieg.core import clock
from obieg.core.prepared_rows import date_text, url_for_each
from obieg.engine import labels
from obieg.engine.models import WorkItem

# Who has the task, as the row's "Who" cell shows it.
MINE, PERSON, QUEUE, UNASSIGNED, NOBODY = "mine", "person", "queue", "unassigned", "nobody"


# What `prepare` reads of a work item and its related rows (selectors.inbox's `columns`):
# a page reads these and no more (the labels read the definition's id and checksum).
COLUMNS = (
    "id",
    "element_id",
    "name",
    "case_id",
    "due_at",
    "status",
    "assignee_id",
    "candidate_group",
    "candidate_department_id",
    "unmatched",
    "case__title",
    "case__definition_id",
    "case__definition__key",
    "case__definition__name",
    "case__definition__checksum",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__username",
    "candidate_department__name",
)


@dataclass(frozen=True, slots=True)
class InboxRow:
    """One inbox row as printed; `item` is the work item (on the inbox page, only its COLUMNS)."""

    item: WorkItem
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


def prepare(items: Iterable[WorkItem], user) -> list[InboxRow]:
    """The rows of `items` as `user` sees them."""
    task_url = url_for_each("engine:task")
    claim_url = url_for_each("engine:task_claim")
    case_url = url_for_each("engine:case_detail")
    due_text = date_text("SHORT_DATETIME_FORMAT")
    process_names: dict[int, str] = {}  # definition id: its name in the reader's language
    language = translation.get_language() or settings.LANGUAGE_CODE  # what each label would ask
    now = clock.now()
    rows = []
    for item in items:
        is_open = item.is_open
        holder, holder_name = _holder(item, user, is_open)
        case = item.case
        definition = case.definition
        process = process_names.get(definition.pk)
        if process is None:
            process = process_names[definition.pk] = labels.process_label(definition, language)
        rows.append(
            InboxRow(
                item=item,
                pk=item.pk,
                element_id=item.element_id,
                name=labels.item_label(item, language),
                task_url=task_url(item.pk),
                claim_url=claim_url(item.pk),
                case_url=case_url(item.case_id),
                case=labels.case_label(case, language),
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


def _holder(item: WorkItem, user, is_open: bool) -> tuple[str, str]:
    """Me, a person, a queue waiting for someone to claim it, or nobody the model names."""
    if item.assignee_id:
        if item.assignee_id == user.pk:
            return MINE, ""
        return PERSON, str(item.assignee)
    if item.candidate_department_id:
        return QUEUE, str(item.candidate_department)
    if item.candidate_group:
        return QUEUE, item.candidate_group
    if is_open:
        return UNASSIGNED, item.unmatched
    return NOBODY, ""
