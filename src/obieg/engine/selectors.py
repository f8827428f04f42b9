"""Reading cases and inboxes, for pages and the API.

The inbox reads WorkItem rows only, through the indexes (assignee,
status, due_at, id) and the open, unclaimed items' (candidate_group,
due_at, id) and (candidate_department, due_at, id): one capped range scan
per queue in index order, their union read in one statement. It never
opens a case's saved state. Its statements are compiled once per shape
(core/compiled_once.py) and bound with the reader's values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import BooleanField, Count, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.http import Http404

from obieg.core import access, clock, compiled_once
from obieg.core.models import Department
from obieg.core.pagination import Keyset, Page
from obieg.engine import spec_cache
from obieg.engine.models import Case, CaseEvent, ProcessDefinition, WorkItem, WorkItemStatus
from obieg.engine.runtime import starts

INBOX_LIMIT = 50
MAX_ID = 2**63 - 1  # the largest BigAutoField value; a forged bigger one is no id
# Dated items by due date (so overdue ones first), undated ones after, oldest first:
# core.pagination's order for a nullable field, so its cursors page the inbox.
INBOX_ORDERING = ["due_at", "id"]


def _value(kind: type, model, field: str) -> compiled_once.Value:
    return compiled_once.Value(kind, model._meta.get_field(field))


# What each value an inbox statement takes is compared to (`compiled_once`);
# role_0, role_1... are the reader's roles.
_INBOX_VALUES = {
    "user": _value(int, WorkItem, "assignee"),
    "role": _value(str, WorkItem, "candidate_group"),
    "department": _value(int, WorkItem, "candidate_department"),
    "process": _value(str, ProcessDefinition, "key"),
    "element": _value(str, WorkItem, "element_id"),
    "after_due": _value(datetime, WorkItem, "due_at"),
    "after_id": _value(int, WorkItem, "id"),
    "now": _value(datetime, WorkItem, "due_at"),
}


def _inbox_rules(values: Mapping[str, object], open_items: QuerySet) -> list[QuerySet]:
    """One queryset per reason an item is in the user's inbox: theirs, or in one of their queues.

    `values` are `_reader_values`' (or their stand-ins, `compiled_once`).
    """
    rules = [open_items.filter(assignee=values["user"])]
    queued = open_items.filter(assignee__isnull=True)
    rules += [queued.filter(candidate_group=values[name]) for name in _role_names(values)]
    if "department" in values:
        rules.append(queued.filter(candidate_department_id=values["department"]))
    return rules


def _reader_values(user) -> dict[str, object]:
    """Who the inbox is of, as the values its statements take: id, roles (sorted), department."""
    values: dict[str, object] = {"user": user.pk}
    values |= {f"role_{number}": role for number, role in enumerate(sorted(user.role_names))}
    if user.department_id:
        values["department"] = user.department_id
    return values


def _role_names(values: Mapping[str, object]) -> list[str]:
    return [name for name in values if name.startswith("role_")]


def _inbox_kinds(values: Mapping[str, object]) -> dict[str, compiled_once.Value]:
    """What each of an inbox statement's values is compared to (`compiled_once`)."""
    return {
        name: _INBOX_VALUES[name.split("_")[0] if name.startswith("role_") else name]
        for name in values
    }


def _next_of(rule: QuerySet, after: tuple[datetime | None, int] | None, limit: int):
    """A rule's next `limit` ids in inbox order, as plain index range scans.

    "NULLS LAST" cannot be read off an index on SQLite (NULLs sort first
    there), and "(due_at > d) OR (due_at = d AND id > i)" is no index range
    on either database; so dated and undated items are separate ranges,
    each ordered the way its index is: (due_at, id) from the position on,
    then (id) among the undated.
    """
    due, pk = after if after is not None else (None, 0)
    if after is not None and due is None:
        return [rule.filter(due_at__isnull=True, id__gt=pk).order_by("id")[:limit]]
    dated = rule.filter(due_at__isnull=False)
    if due is not None:
        # The first condition is the index range; the second drops the few ties before pk.
        dated = rule.filter(due_at__gte=due).filter(Q(due_at__gt=due) | Q(id__gt=pk))
    return [
        dated.order_by("due_at", "id")[:limit],
        rule.filter(due_at__isnull=True).order_by("id")[:limit],
    ]


def _union_of_ids(branches: list[QuerySet]) -> RawSQL:
    """`SELECT id ... UNION ALL SELECT id ...` of capped, ordered querysets, as one subquery.

    Each branch keeps its ORDER BY and LIMIT inside a derived table, which
    both databases accept in a compound select (Django's .union() refuses
    a sliced branch on SQLite).
    """
    parts: list[str] = []
    params: list = []
    for number, branch in enumerate(branches):
        sql, branch_params = branch.values_list("id", flat=True).query.sql_with_params()
        parts.append(f"SELECT id FROM ({sql}) AS branch_{number}")
        params.extend(branch_params)
    return RawSQL(" UNION ALL ".join(parts), params)


def _among(ids: RawSQL) -> Q | RawSQL:
    """Work items whose id is one of `ids`' (a subquery).

    On PostgreSQL as `id = ANY(ARRAY(<ids>))`: the subquery is then run
    first, on its own, where `id IN (<ids>)` had the planner weigh every way
    of joining the union's branches with the case, process and people
    (bench: 0.9 ms of planning per inbox, now 0.5; the rows are the same).
    """
    if connection.vendor != "postgresql":
        return Q(pk__in=ids)
    quote = connection.ops.quote_name
    column = f"{quote(WorkItem._meta.db_table)}.{quote('id')}"
    return RawSQL(f"{column} = ANY(ARRAY({ids.sql}))", ids.params, output_field=BooleanField())


def inbox(
    user,
    *,
    limit: int = INBOX_LIMIT,
    process: str = "",
    element: str = "",
    after: tuple[datetime | None, int] | None = None,
    record: type[Any] | None = None,
) -> list[Any]:  # work items, or with `record` records
    """The user's open tasks and their groups' unclaimed ones, overdue first, then by due date.

    One statement: each reason an item is in the inbox (the user's own
    items, each of their roles' queues, their department's queue) gives
    its next `limit` ids off its own index, the union of those few ids is
    read with the case and people and cut to `limit`. The cost follows the
    number of the user's roles and the page size, not the size of the
    table. `process` (a definition key) and `element` (a step id) filter;
    `after` (the due date and id of the last item shown) gives the next page.
    With `record` (a NamedTuple whose fields are `values_list()`'s names) it
    reads just those columns of the items and their related rows, each row
    one `record`, instead of model instances: what a page prints
    (engine/web/inbox_rows.Record), at a third of the Python cost of building
    ~100 instances per page.
    """
    if not user.is_authenticated or not user.is_active:
        return []
    values = _reader_values(user)
    if process:
        values["process"] = process
    if element:
        values["element"] = element
    if after is not None:
        if after[0] is not None:
            values["after_due"] = after[0]
        values["after_id"] = after[1]

    columns = record._fields if record is not None else ()

    def build(given: Mapping[str, object]) -> QuerySet:
        found = _inbox_query(given, limit=limit)
        return found.values_list(*columns) if columns else found

    shape = ("inbox", tuple(values), limit, columns)
    statement = compiled_once.compiled(shape, _inbox_kinds(values), build)
    if record is None:
        return compiled_once.instances(statement, values) if statement else list(build(values))
    rows = compiled_once.converted_rows(statement, values) if statement else build(values)
    return [record._make(row) for row in rows]


def _inbox_query(values: Mapping[str, object], *, limit: int) -> QuerySet[WorkItem]:
    """The inbox's statement for `values` (as `inbox` names them)."""
    open_items = WorkItem.objects.filter(status=WorkItemStatus.OPEN)
    if "process" in values:
        open_items = open_items.filter(case__definition__key=values["process"])
    if "element" in values:
        open_items = open_items.filter(element_id=values["element"])
    after = (values.get("after_due"), values["after_id"]) if "after_id" in values else None
    branches = [
        branch
        for rule in _inbox_rules(values, open_items)
        for branch in _next_of(rule, after, limit)  # type: ignore[arg-type]
    ]
    return (
        WorkItem.objects.filter(_among(_union_of_ids(branches)))
        .select_related("case", "case__definition", "assignee", "candidate_department")
        .defer("case__state", "case__data", "case__definition__sources")
        .order_by(*_inbox_keyset().order_by())[:limit]
    )


def _inbox_keyset() -> Keyset:
    return Keyset(WorkItem.objects.all(), INBOX_ORDERING)


def inbox_page(
    user,
    *,
    size: int,
    cursor: str | None = None,
    process: str = "",
    element: str = "",
    record: type[Any] | None = None,
) -> Page:
    """One page of `inbox` and the cursor of the next (core.pagination's cursors).

    The inbox reads forward only (its branches are ranges going up), so a
    cursor going back, like any cursor that is not the inbox's, gives the
    first page.
    """
    keyset = _inbox_keyset()
    position = keyset.position_or_none(cursor)
    if position is not None and position.backwards:
        position = None
    after = (position.values[0], position.values[1]) if position is not None else None
    rows = inbox(user, limit=size + 1, after=after, process=process, element=element, record=record)
    return replace(keyset.page(rows, size=size, position=position), previous_cursor=None)


def _capped_count_sql(querysets: list[QuerySet], cap: int) -> tuple[str, list]:
    """`(SELECT COUNT(*) FROM (q1 LIMIT cap UNION q2 LIMIT cap ...))`: scans stop at cap.

    UNION, not UNION ALL: an item queued to a role and a department counts once.
    """
    if not querysets:
        return "0", []
    parts: list[str] = []
    params: list = []
    for number, queryset in enumerate(querysets):
        # In index order, so each scan is an index scan that stops at the cap
        # (unordered, PostgreSQL may read a whole queue into a bitmap first).
        capped = queryset.order_by("due_at", "id").values_list("id", flat=True)[:cap]
        sql, branch_params = capped.query.sql_with_params()
        parts.append(f"SELECT id FROM ({sql}) AS part_{number}")
        params.extend(branch_params)
    return f"(SELECT COUNT(*) FROM ({' UNION '.join(parts)}) AS counted)", params


def inbox_count(user, *, cap: int | None = None) -> dict[str, int]:
    """How many open tasks the user has, how many wait in their queues, how many are overdue.

    With `cap`, each count stops at cap + 1 (a badge shows "99+"), so a
    huge queue costs no more than a small one: one statement, each queue
    counted off its own index up to the cap.
    """
    if not user.is_authenticated:
        return {"mine": 0, "queued": 0, "overdue": 0}
    values = _reader_values(user)
    if cap is not None:
        values["now"] = clock.now()

        def build(given: Mapping[str, object]) -> tuple[str, list]:
            return _capped_counts_sql(given, cap + 1)

        shape = ("inbox_count", tuple(values), cap)
        statement = compiled_once.compiled(shape, _inbox_kinds(values), build)
        if statement is None:
            sql, params = build(values)
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                counted = cursor.fetchone()
        else:
            counted = compiled_once.scalars(statement, values)
        return {
            "mine": counted[0],
            "queued": min(counted[1], cap + 1),
            "overdue": counted[2],
        }
    open_items = WorkItem.objects.filter(status=WorkItemStatus.OPEN)
    mine = _inbox_rules(values, open_items)[0]
    totals = mine.aggregate(
        total=Count("id"), overdue=Count("id", filter=Q(due_at__lt=clock.now()))
    )
    queue_filter = Q(candidate_group__in=sorted(user.role_names))
    if user.department_id:
        queue_filter |= Q(candidate_department_id=user.department_id)
    queued = open_items.filter(queue_filter, assignee__isnull=True).count()
    return {"mine": totals["total"], "queued": queued, "overdue": totals["overdue"]}


def _capped_counts_sql(values: Mapping[str, object], cap: int) -> tuple[str, list]:
    """`SELECT <mine>, <queued>, <overdue>`, each counted up to `cap`, for `values`."""
    open_items = WorkItem.objects.filter(status=WorkItemStatus.OPEN)
    mine, *queues = _inbox_rules(values, open_items)
    overdue = mine.filter(due_at__lt=values["now"])
    selects, params = [], []
    for parts in ([mine], queues, [overdue]):
        sql, part_params = _capped_count_sql(parts, cap)
        selects.append(sql)
        params.extend(part_params)
    return "SELECT " + ", ".join(selects), params


TEAM_LIMIT = 200


def is_manager(user) -> bool:
    """Whether the user has people (or queues) to oversee: a team, a department, or everything."""
    if not user.is_authenticated or not user.is_active:
        return False
    return access.is_admin(user) or access.manages_team(user) or access.heads_department(user)


def managed_items(manager) -> QuerySet[WorkItem]:
    """Open items `manager` may hand over (the same rule as `runtime.permissions.manages`).

    Those assigned to the people they oversee or routed to the departments
    they head, named by id (`_overseen`): index ranges of (assignee, status,
    due_at, id) and of the department's items. As an OR over joins to the
    teams and departments it read every assigned open item (16,666 of them,
    220 ms on the bench database, for one manager's 1,666).
    """
    items = WorkItem.objects.filter(status=WorkItemStatus.OPEN)
    if access.is_admin(manager):
        return items
    people, departments = _overseen(manager)
    condition = Q(assignee_id__in=people)
    if departments:
        condition |= Q(candidate_department_id__in=departments)
    return items.filter(condition)


def team_load(manager) -> list[dict]:
    """Open and overdue tasks per person in the teams and departments `manager` leads."""
    return list(
        managed_items(manager)
        .filter(assignee__isnull=False)
        .values("assignee", "assignee__username", "assignee__first_name", "assignee__last_name")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_at__lt=clock.now())))
        .order_by("-overdue", "-open", "assignee__username")[:TEAM_LIMIT]
    )


def queue_load(manager) -> list[dict]:
    """Unclaimed tasks per queue (role or department) among the items `manager` oversees."""
    return list(
        managed_items(manager)
        .filter(assignee__isnull=True)
        .values("candidate_group", "candidate_department__name")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_at__lt=clock.now())))
        .order_by("-overdue", "-open", "candidate_group", "candidate_department__name")[:TEAM_LIMIT]
    )


def reassign_candidates(item: WorkItem, manager) -> QuerySet:
    """Whom a manager may hand `item` to: its role's or department's members, else the team."""
    users = get_user_model().objects.filter(is_active=True)
    if item.candidate_group or item.candidate_department_id:
        routed = Q(pk__in=[])
        if item.candidate_group:
            routed |= Q(groups__name=item.candidate_group)
        if item.candidate_department_id:
            routed |= Q(department_id=item.candidate_department_id)
        users = users.filter(routed)
    elif not access.is_admin(manager):
        users = users.filter(Q(team__manager=manager) | Q(department__head=manager))
    return users.distinct().order_by("first_name", "last_name", "username")[:TEAM_LIMIT]


def visible_cases(user) -> QuerySet[Case]:
    """Cases the user may see (their own, their team's; all for an administrator)."""
    return access.visible(Case.objects.select_related("definition", "owner"), user)


def _overseen(user) -> tuple[list[int], list[int]]:
    """The people whose work `user` oversees (members of the teams they manage and the
    departments they head) and the departments they head: one statement per user object.

    Known as ids, the participation condition below is a few index ranges;
    as joins to the teams and departments it was a scan of every work item.
    """
    if not (access.manages_team(user) or access.heads_department(user)):
        # Most readers oversee nobody, and the request's user read says so already
        # (core/auth_backend): no statement (a tenth of a salesperson's documents list).
        return [], []
    return access.per_user(user, ("overseen", user.pk), lambda: _overseen_ids(user))


def _overseen_ids(user) -> tuple[list[int], list[int]]:
    people = (
        get_user_model()
        ._default_manager.filter(Q(team__manager=user) | Q(department__head=user))
        .annotate(kind=Value("person"))
        .order_by()
        .values_list("kind", "pk")
    )
    departments = (
        Department.objects.filter(head=user)
        .annotate(kind=Value("department"))
        .order_by()
        .values_list("kind", "pk")
    )
    rows = list(people.union(departments, all=True))
    return (
        sorted({pk for kind, pk in rows if kind == "person"}),
        sorted(pk for kind, pk in rows if kind == "department"),
    )


def _participation(user) -> Q:
    """Work items that make `user` a participant of their case, or a manager of one.

    A role's or department's members take part only while an item waits in
    their queue (open, nobody's yet): an item given to a person is that
    person's and their managers', not the whole group's. Each part is a
    range of an index of its own (assignee, completed_by, the queues'
    partial indexes), which PostgreSQL reads as one bitmap: 14 ms for a
    salesperson's cases with 10^6 work items, where an OR over joins to the
    teams and departments scanned them all (2.6 s).
    """
    people, departments = _overseen(user)
    condition = Q(assignee_id__in=[user.pk, *people]) | Q(completed_by=user)
    if departments:
        condition |= Q(candidate_department_id__in=departments)
    queued = Q(status=WorkItemStatus.OPEN, assignee__isnull=True)
    if user.role_names:
        condition |= queued & Q(candidate_group__in=sorted(user.role_names))
    if user.department_id:
        condition |= queued & Q(candidate_department_id=user.department_id)
    return condition


def cases_for(user) -> QuerySet[Case]:
    """Cases `user` takes part in or oversees, for lists and the API.

    The access policy's (owner, team manager, admin) plus those the user
    started, and those with a task for, done by or routed to the user, their
    roles, their department, or people they manage.
    """
    cases = Case.objects.select_related("definition", "owner").defer("state", "definition__sources")
    if not user.is_authenticated or not user.is_active:
        return cases.none()
    if access.is_admin(user):
        return cases
    items = WorkItem.objects.filter(_participation(user)).values("case_id")
    return access.visible(cases, user) | cases.filter(Q(started_by=user) | Q(pk__in=items))


def may_see_case(user, case: Case) -> bool:
    """The one rule for a case page: a participant, their manager, an admin, or the subject's."""
    if cases_for(user).filter(pk=case.pk).exists():
        return True
    model = case.subject_type.model_class() if case.subject_type is not None else None
    if model is None or not hasattr(model, "access"):
        return False
    return access.visible(model._default_manager.filter(pk=case.subject_id), user).exists()


def case_for(user, pk) -> Case:
    """The case `pk` if `user` may see it, else Http404 (never a hint that it exists)."""
    if not str(pk).isdigit() or int(pk) > MAX_ID:
        raise Http404
    case = (
        Case.objects.select_related("definition", "owner", "started_by", "subject_type")
        .filter(pk=pk)
        .first()
    )
    if case is None or not may_see_case(user, case):
        raise Http404
    return case


def failed_cases() -> QuerySet[Case]:
    """Cases stopped by a failed step, newest first: an administrator's to-do list."""
    return (
        Case.objects.filter(status="error")
        .select_related("definition", "owner")
        .defer("state", "definition__sources")
        .order_by("-updated_at", "-id")
    )


def case_history(case: Case, *, limit: int = 200) -> list[CaseEvent]:
    return list(case.events.select_related("actor").order_by("at", "id")[:limit])


def case_work_items(case: Case) -> list[WorkItem]:
    return list(
        case.work_items.select_related("assignee", "completed_by", "candidate_department").order_by(
            "created_at", "id"
        )
    )


@dataclass(frozen=True)
class CaseDiagram:
    """What a live diagram needs: the BPMN XML and each element's state."""

    bpmn: str
    element_states: dict[str, str]
    failed_element: str


def case_diagram(case: Case) -> CaseDiagram:
    """The case's process drawing with active, waiting, completed and failed elements (bpmn-js).

    "active" is a step under way (a person's task, a running sub-process);
    "waiting" is an event the engine waits at (a timer, a message).
    """
    from obieg.engine.spiff.instance import Instance

    states: dict[str, str] = {}
    if case.state:
        bundle = spec_cache.bundle_for(case.definition)
        states = Instance.load(bundle, case.state, names={}, run_action=None).element_states()
    if case.error_element:
        states[case.error_element] = "failed"
    return CaseDiagram(case.definition.bpmn, states, case.error_element)


def latest_definitions(*, columns: Sequence[str] = ()) -> list[ProcessDefinition]:
    """The newest version of every process (what new cases start on): runtime.starts'
    `latest_versions`, which starting by message or signal reads too."""
    return starts.latest_versions(columns=columns)


def work_item_for(user, pk) -> WorkItem:
    """The work item `pk` if `user` may work on it or see its case, else Http404."""
    from obieg.engine.runtime.permissions import may_work_on, was_in_queue_of

    if not str(pk).isdigit() or int(pk) > MAX_ID:
        raise Http404
    item = (
        WorkItem.objects.select_related(
            "case__definition",
            "case__subject_type",
            "assignee",
            "completed_by",
            "candidate_department",
        )
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    if may_work_on(item, user) or may_see_case(user, item.case):
        return item
    if was_in_queue_of(user, item):
        # Someone of the user's queue took or finished it since the inbox showed it:
        # say who (409), without showing the case.
        from obieg.engine.runtime.claims import taken_from_queue

        raise taken_from_queue(item)
    raise Http404


def startable_definitions() -> list[ProcessDefinition]:
    """The processes a person starts by hand: the studio's own, with a plain start event.

    A solution's processes start from its records (a lead, an inquiry, a
    project), which a bare case would lack; a process that waits for a message
    or a signal starts when it comes.
    """
    from obieg.engine.spiff.events import has_plain_start
    from obieg.engine.spiff.parser import ModelError

    found = []
    for definition in latest_definitions():
        if definition.solution:
            continue
        try:
            spec, _subprocesses = spec_cache.bundle_for(definition)
        except ModelError:  # a version that no longer parses starts nothing
            continue
        if has_plain_start(spec):
            found.append(definition)
    return sorted(found, key=lambda d: d.name.lower())
