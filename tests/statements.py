"""Reading statements as the database receives them, for tests that compare or count SQL.

On PostgreSQL, compiled_once writes a shape's constants into its text and
sends the statement as `EXECUTE name(values)` once its session prepared it
(core/prepared_statements.py): compare texts with every value written in,
and read an EXECUTE as the statement it names.
"""

from __future__ import annotations

from django.db import connection

from obieg.core import prepared_statements


def as_sent(sql: str, params) -> object:
    """The statement as received: on PostgreSQL its text with every value written in
    (as psycopg writes it), elsewhere the text and its values."""
    if connection.vendor == "postgresql":
        return connection.ops.compose_sql(sql, list(params))
    return sql, list(params)


def sql_of_each(queries) -> list[str]:
    """The SQL of each captured query (CaptureQueriesContext), an EXECUTE read as its statement."""
    return [prepared_statements.sql_of(query["sql"]) for query in queries]
