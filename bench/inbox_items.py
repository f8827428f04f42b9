"""10^6 work items beside the large data set, so bench/lists.py can time the inbox.

The demo's large set has accounts and activities but hardly any process
work; the inbox target (#16) is "p95 < 50 ms at 10^6 work items". This adds
1,000 completed bench cases and 1,000,000 work items to them in one
statement: 1 in 20 open, a third of the open ones assigned (the demo
salesperson has 1 in 600 of all items), the unassigned ones queued to a role
(the demo roles, salesperson and installer among them) or, 1 in 4, to one of
the departments (the installers' among them). Completed items keep who did
them, as claimed work does. Made once; a marker case says it is there.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "tests" / "engine" / "data" / "ten_steps.bpmn"
MARKER = "bench inbox items"
CASES = 1000
ROLES = ["salesperson", "designer", "accountant", "installer", "board", "secretariat",
         "phone_sales", "field_sales", "sales_manager", "department_head"]  # fmt: skip


def ensure_work_items(total: int = 1_000_000) -> int:
    """Add the bench's work items unless they are there; the number of work items."""
    from django.db import connection, transaction

    from obieg.core.models import Department, User
    from obieg.engine import deploy
    from obieg.engine.models import Case, ProcessDefinition, WorkItem

    if Case.objects.filter(title=MARKER).exists():
        return WorkItem.objects.count()
    if not ProcessDefinition.objects.filter(key="ten_steps").exists():
        deploy.deploy_files([MODEL])
    definition = ProcessDefinition.objects.filter(key="ten_steps").order_by("-version").first()
    with transaction.atomic():
        Case.objects.bulk_create(
            [
                Case(definition=definition, title=f"Bench {n}", status="completed")
                for n in range(CASES)
            ]
        )
        first_case = Case.objects.filter(title="Bench 0").values_list("pk", flat=True).get()
        User.objects.bulk_create(
            [User(username=f"bench_inbox_{n}") for n in range(200)], ignore_conflicts=True
        )
        first_user = (
            User.objects.filter(username="bench_inbox_0").values_list("pk", flat=True).get()
        )
        me = User.objects.get(username="salesperson").pk
        departments = list(Department.objects.order_by("pk").values_list("pk", flat=True))
        with connection.cursor() as cursor:
            _fill(cursor, connection.vendor, total, first_case, first_user, me, departments)
        Case.objects.create(definition=definition, title=MARKER, status="completed")
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE engine_workitem" if connection.vendor == "postgresql" else "ANALYZE"
        )
    return WorkItem.objects.count()


def _fill(cursor, vendor, total, first_case, first_user, me, departments: list[int]):
    # g % 20 = 0: open. Open and g % 3 = 0: assigned (the salesperson when g % 600 = 0).
    # Open, unassigned and (g / 20) % 4 = 0: a department's queue, else a role's.
    # Completed: done by one of the bench users.
    department = (
        f"CASE (g / 80) % {len(departments)} "
        + " ".join(f"WHEN {n} THEN {pk}" for n, pk in enumerate(departments))
        + " END"
    )
    if vendor == "postgresql":
        roles = ", ".join(f"'{role}'" for role in ROLES)
        series = f"FROM generate_series(1, {total}) AS g"
        role = f"(ARRAY[{roles}])[1 + (g / 20) % 10]"
        task_id = "gen_random_uuid()"
        due = "now() + (g % 1000 - 500) * interval '1 hour'"
        created = "now() - interval '1 day'"
        prefix = ""
    else:
        role = (
            "CASE (g / 20) % 10 "
            + " ".join(f"WHEN {n} THEN '{name}'" for n, name in enumerate(ROLES))
            + " END"
        )
        series = "FROM g"
        task_id = "lower(hex(randomblob(16)))"
        due = "strftime('%Y-%m-%d %H:%M:%f', 'now', printf('%+d hours', g % 1000 - 500))"
        created = "strftime('%Y-%m-%d %H:%M:%f', 'now', '-1 day')"
        prefix = (
            f"WITH RECURSIVE g(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM g WHERE g < {total})"
        )
    queued = "g % 20 = 0 AND g % 3 <> 0"
    cursor.execute(
        f"""
        INSERT INTO engine_workitem (case_id, task_id, element_id, name, form_key, lane,
            assignee_id, candidate_group, candidate_department_id, status, due_at, overdue,
            created_at, revision, unmatched)
        {prefix}
        SELECT {first_case} + g % {CASES}, {task_id}, 't' || (g % 10), 'Task', '', '',
            CASE WHEN g % 600 = 0 THEN {me} WHEN g % 3 = 0 OR g % 20 <> 0
                THEN {first_user} + g % 200 END,
            CASE WHEN {queued} AND (g / 20) % 4 = 0 THEN '' ELSE {role} END,
            CASE WHEN {queued} AND (g / 20) % 4 = 0 THEN {department} END,
            CASE WHEN g % 20 = 0 THEN 'open' ELSE 'completed' END,
            {due}, false, {created}, 0, ''
        {series}
        """
    )
