"""One runner at a time for each reminder job, however many workers beat.

A job's run holds its `ScanMark` row locked (SELECT … FOR UPDATE SKIP
LOCKED on PostgreSQL): a second worker arriving meanwhile skips the job
for this beat instead of waiting or doing the same work. On SQLite the
transaction itself is the lock (BEGIN IMMEDIATE: one writer at a time).
The mark also remembers how far the job read and when it last ran, so a
job that needs to run only every few minutes skips the beats between.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import timedelta

from django.db import transaction

from obieg.core import clock
from obieg.notifications.models import ScanMark


@contextlib.contextmanager
def claimed(name: str, *, every: timedelta | None = None) -> Iterator[ScanMark | None]:
    """The job's mark, locked for one transaction; None when another worker has it or the
    job ran less than `every` ago (by the one clock). The mark is saved when the block ends."""
    ScanMark.objects.bulk_create([ScanMark(name=name)], ignore_conflicts=True)
    with transaction.atomic():
        mark = ScanMark.objects.select_for_update(skip_locked=True).filter(name=name).first()
        now = clock.now()
        if mark is None or (
            every is not None and mark.ran_at is not None and now < mark.ran_at + every
        ):
            yield None
            return
        yield mark
        mark.ran_at = now
        mark.save()
