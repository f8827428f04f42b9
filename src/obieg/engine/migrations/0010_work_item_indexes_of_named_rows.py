"""Index who completed a work item and its routed department only where set.

See WorkItem.Meta.indexes: full indexes over mostly-NULL columns made
SQLite's statistics send a participant's cases to a scan of every work
item. The foreign keys' own indexes are dropped by name instead of by
AlterField, which on SQLite would copy the whole table twice.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The names Django gave the foreign keys' indexes (the same on both databases).
FOREIGN_KEY_INDEXES = {
    "completed_by_id": "engine_workitem_completed_by_id_0ce05db5",
    "candidate_department_id": "engine_workitem_candidate_department_id_d7558984",
}


def _drop(column: str, name: str) -> migrations.RunSQL:
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{name}"',
        reverse_sql=f'CREATE INDEX "{name}" ON "engine_workitem" ("{column}")',
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_coordinator_role"),
        ("engine", "0009_sandbox_test_runs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="workitem",
            index=models.Index(
                condition=models.Q(("completed_by__isnull", False)),
                fields=["completed_by"],
                name="engine_item_completed_by",
            ),
        ),
        migrations.AddIndex(
            model_name="workitem",
            index=models.Index(
                condition=models.Q(("candidate_department__isnull", False)),
                fields=["candidate_department"],
                name="engine_item_routed_department",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="workitem",
                    name="candidate_department",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="work_items",
                        to="core.department",
                        verbose_name="department",
                    ),
                ),
                migrations.AlterField(
                    model_name="workitem",
                    name="completed_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                _drop(column, name) for column, name in FOREIGN_KEY_INDEXES.items()
            ],
        ),
    ]
