"""pg_trgm for the trigram indexes that answer `LIKE '%lodz%'` on folded search columns.

Migrations that add such an index ask here first. pg_trgm is a trusted
extension (PostgreSQL 13+): the database owner may create it. Where it cannot
be created, a warning names what a superuser must run, and the migration goes
on without the index: search still works, by scanning.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, transaction

logger = logging.getLogger(__name__)


def trigram_ready(schema_editor, *, rerun: str) -> bool:
    """True when pg_trgm exists (created now if need be); `rerun` names the migration
    to run again once a superuser has created it."""
    try:
        # A savepoint, so a refused CREATE EXTENSION leaves the migration's transaction usable.
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        return True
    except DatabaseError as error:
        logger.warning(
            "pg_trgm cannot be created (%s): Polish-aware search works but scans its tables. "
            "As a superuser run CREATE EXTENSION pg_trgm; in this database, then "
            "'obieg migrate %s' and 'obieg migrate' to add the trigram indexes.",
            error,
            rerun,
        )
        return False


def create_trigram_index(schema_editor, name: str, table: str, column: str) -> None:
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("{column}" gin_trgm_ops)'
    )
