"""Indexes for the account search on PostgreSQL; nothing changes on SQLite.

The account list searches `name__icontains | city__icontains | nip__startswith`.
Django writes icontains as `UPPER(col::text) LIKE UPPER('%q%')`, which no
b-tree can serve: on 100,000 accounts each search was two sequential scans
of ~90 ms (the page and its capped count). A pg_trgm GIN index on exactly
that expression lets PostgreSQL answer from the index, and a
varchar_pattern_ops index serves the NIP prefix (the database's collation is
not "C", so the plain NIP index cannot do LIKE 'prefix%').

pg_trgm is a trusted extension (PostgreSQL 13+), so the database owner can
create it. Where it cannot be created the trigram indexes are skipped with
a warning rather than failing the migration: search still works, only
slower. SQLite has no trigram indexes; its LIKE scans of 100,000 short
rows stay well within the page budget (see bench/lists.py).
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

TRIGRAM_INDEXES = {
    "crm_account_name_trgm": 'UPPER("name"::text) gin_trgm_ops',
    "crm_account_city_trgm": 'UPPER("city"::text) gin_trgm_ops',
}
PATTERN_INDEX = "crm_account_nip_like"


def _has_trigram(schema_editor) -> bool:
    try:
        # A savepoint, so a refused CREATE EXTENSION leaves the migration's transaction usable.
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        return True
    except DatabaseError as error:
        logger.warning("pg_trgm unavailable (%s): search runs without trigram indexes", error)
        return False


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{PATTERN_INDEX}" ON "crm_account" ("nip" varchar_pattern_ops)'
    )
    if not _has_trigram(schema_editor):
        return
    for name, expression in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "crm_account" USING gin ({expression})'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in [PATTERN_INDEX, *TRIGRAM_INDEXES]:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
