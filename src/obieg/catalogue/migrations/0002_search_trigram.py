"""PostgreSQL: a pg_trgm GIN index on the folded "code name" column, so the catalogue's
search (`LIKE '%zolw%'`) is answered from the index, as the CRM lists are (crm 0006).

Where pg_trgm cannot be created the search works by scanning (a warning says what to run
as a superuser). SQLite has no trigram index; it scans the short folded column.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

INDEX = "catalogue_product_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        # A savepoint, so a refused CREATE EXTENSION leaves the migration's transaction usable.
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        logger.warning(
            "pg_trgm cannot be created (%s): the catalogue search scans its table. "
            "As a superuser run CREATE EXTENSION pg_trgm; then 'obieg migrate catalogue 0001' "
            "and 'obieg migrate'.",
            error,
        )
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "catalogue_product" '
        'USING gin ("search_name" gin_trgm_ops)'
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
