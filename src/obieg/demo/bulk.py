"""Chunked bulk inserts for the large data set.

No per-row audit entries here on purpose: the large set is synthetic load
for scale tests, and a million audit rows would double the time and measure
nothing about the pages under test. The small demo goes through the
services instead, so its records have their audit history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection, models, transaction
from django.test.utils import override_settings

from obieg.demo.progress import Progress

# Rows built in memory and committed per transaction: big enough to amortise
# the commit, small enough to keep memory flat.
CHUNK = 10_000


@contextmanager
def explicit_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the created_at/updated_at values we give it.

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
    """Do not log every INSERT: with DEBUG on, Django keeps and formats each query."""
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

    `after_chunk` receives the saved rows (with primary keys: PostgreSQL and
    SQLite ≥ 3.35 return them) so callers can remember ids for later tables.
    """
    batch_size = _batch_size(model)
    for start in range(0, total, CHUNK):
        rows = [build(i) for i in range(start, min(start + CHUNK, total))]
        with transaction.atomic():
            model.objects.bulk_create(rows, batch_size=batch_size)
        if after_chunk is not None:
            after_chunk(rows)
        progress.advance(len(rows))


def _batch_size(model: type[models.Model]) -> int:
    # SQLite caps the bound parameters of one statement; PostgreSQL does not.
    fields = len(model._meta.concrete_fields)
    limit = connection.features.max_query_params or 65_000
    return max(1, min(2_000, limit // fields))


def analyze() -> None:
    """Refresh the planner's statistics after a big load (both databases need it)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
