"""Chunked bulk inserts for the large data set.

No per-row audit entries here on purpose: the large set is synthetic load
for scale tests, and a million audit rows would double the time and measure
nothing about the pages under test. The small demo goes through the
services instead, so its records have their audit history.

Rows are built as model instances (so the generator reads like the models)
but written without `bulk_create`'s per-value SQL compilation, which was
most of the time for a million rows. Measured on 2 CPUs for the full set:
bulk_create ~135 s of CPU on SQLite, this path ~85 s; on PostgreSQL ~70 s
of client CPU with bulk_create, ~33 s with COPY. PostgreSQL gets COPY;
SQLite one prepared INSERT run with executemany. Primary keys are assigned
here, so later tables can refer to them; the generator assumes it is the
only writer while it runs (it is a demo and benchmark tool).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models import Max
from django.test.utils import override_settings

from obieg.core.text_search import SearchColumns
from obieg.demo.progress import Progress

# Column types whose Python values the sqlite3 driver takes as they are; the
# others (dates, times, decimals) go through Django's own conversion.
_AS_IS = {
    "AutoField", "BigAutoField", "BooleanField", "CharField", "EmailField", "ForeignKey",
    "IntegerField", "BigIntegerField", "PositiveBigIntegerField", "PositiveIntegerField",
    "PositiveSmallIntegerField", "SlugField", "SmallIntegerField", "TextField", "URLField",
}  # fmt: skip

# Rows built in memory and committed per transaction: big enough to amortise
# the commit, small enough to keep memory flat.
CHUNK = 10_000


@contextmanager
def explicit_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let inserts keep the created_at/updated_at values we give them.

    auto_now/auto_now_add would stamp every generated row with the same
    instant; the lists sort by creation time, so the data needs a realistic
    spread. The flags are restored afterwards, even on error.
    """
    saved = []
    for model in model_classes:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


@contextmanager
def quiet_queries() -> Iterator[None]:
    """Do not log every query: with DEBUG on, Django keeps and formats each one."""
    with override_settings(DEBUG=False):
        yield


def insert(
    model: type[models.Model],
    total: int,
    build: Callable[[int], models.Model],
    progress: Progress,
    *,
    after_chunk: Callable[[list[models.Model]], None] | None = None,
) -> None:
    """Insert `total` rows made by `build(i)`, CHUNK rows per transaction.

    `after_chunk` receives each chunk's rows, primary keys set, so callers
    can remember ids for the tables that refer to them.
    """
    writer = _Writer(model)
    for start in range(0, total, CHUNK):
        rows = [build(i) for i in range(start, min(start + CHUNK, total))]
        with transaction.atomic():
            writer.write(rows)
        if after_chunk is not None:
            after_chunk(rows)
        progress.advance(len(rows))
    writer.finish()


class _Writer:
    def __init__(self, model: type[models.Model]):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.next_id = (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1
        quote = connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.columns = ", ".join(quote(field.column) for field in self.fields)

    def write(self, rows: list[models.Model]) -> None:
        for row in rows:
            row.pk = self.next_id
            self.next_id += 1
            if isinstance(row, SearchColumns):
                # save() is skipped here, and the lists search and sort by these columns.
                row.fill_search_columns()
        if connection.vendor == "postgresql":
            self._copy(rows)
        else:
            self._insert(rows)

    def _copy(self, rows) -> None:
        # psycopg adapts Python values (aware datetimes, Decimal, date) itself;
        # a JSON field's dict (custom field values) needs Django's adapter.
        names = [field.attname for field in self.fields]
        json = [i for i, f in enumerate(self.fields) if f.get_internal_type() == "JSONField"]
        with connection.cursor() as cursor:
            sql = f"COPY {self.table} ({self.columns}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    values = [getattr(row, name) for name in names]
                    for i in json:
                        values[i] = self.fields[i].get_db_prep_save(values[i], connection)
                    copy.write_row(values)

    def _insert(self, rows) -> None:
        # The conversions bulk_create would apply, skipped where they change nothing.
        database = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: no proxy per value
        converters = [
            None if field.get_internal_type() in _AS_IS else field for field in self.fields
        ]
        names = [field.attname for field in self.fields]
        prepared = [
            [
                getattr(row, name)
                if convert is None
                else convert.get_db_prep_save(getattr(row, name), database)
                for name, convert in zip(names, converters, strict=True)
            ]
            for row in rows
        ]
        placeholders = ", ".join(["%s"] * len(self.fields))
        sql = f"INSERT INTO {self.table} ({self.columns}) VALUES ({placeholders})"
        with connection.cursor() as cursor:
            cursor.executemany(sql, prepared)

    def finish(self) -> None:
        """Move PostgreSQL's id sequence past the ids given here (SQLite follows by itself)."""
        statements = connection.ops.sequence_reset_sql(no_style(), [self.model])
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


def analyze() -> None:
    """Refresh the planner's statistics after a big load (both databases need it)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
