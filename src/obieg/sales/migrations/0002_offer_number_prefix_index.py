"""An index that serves "offer number starts with …" on PostgreSQL (the global search).

Contract numbers are unique, so Django gave them a varchar_pattern_ops index
for LIKE 'prefix%' already; offer numbers are unique only with their revision.
SQLite needs nothing: its unique (number, revision_number) index serves the
range the search uses there (core.text_search.starts_with).
"""

from django.db import migrations

INDEX = "sales_offer_number_like"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "sales_offer" ("number" varchar_pattern_ops)'
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("sales", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
