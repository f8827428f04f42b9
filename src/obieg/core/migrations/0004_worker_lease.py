from django.db import migrations, models

# Every worker's clock looks for RUNNING jobs every few seconds (obieg.core.leases); they are
# a handful among all the job results kept, which django-tasks-db indexes only while READY.
RUNNING_JOBS_INDEX = (
    "CREATE INDEX IF NOT EXISTS obieg_running_jobs_idx"
    " ON django_tasks_database_dbtaskresult (started_at) WHERE status = 'RUNNING'"
)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_role_groups"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.CreateModel(
            name="WorkerLease",
            fields=[
                ("worker_id", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("host", models.CharField(max_length=255)),
                ("pid", models.PositiveIntegerField()),
                ("started_at", models.DateTimeField()),
                ("renewed_at", models.DateTimeField(db_index=True)),
            ],
        ),
        migrations.RunSQL(
            RUNNING_JOBS_INDEX, reverse_sql="DROP INDEX IF EXISTS obieg_running_jobs_idx"
        ),
    ]
