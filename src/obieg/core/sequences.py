"""Next values of named counters, safe under concurrency on SQLite and PostgreSQL."""

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import F

from obieg.core.models import Sequence


def next_value(name: str, *, start_after: Callable[[], int] = lambda: 0) -> int:
    """The next value of counter `name`; the caller's transaction keeps the row locked.

    `start_after` gives the value to continue from when the counter does not
    exist yet (e.g. the highest number already stored).
    """
    with transaction.atomic():
        if Sequence.objects.filter(name=name).update(last_value=F("last_value") + 1):
            return Sequence.objects.get(name=name).last_value
        try:
            # Savepoint: a concurrent first insert loses here and takes the update path.
            with transaction.atomic():
                return Sequence.objects.create(name=name, last_value=start_after() + 1).last_value
        except IntegrityError:
            Sequence.objects.filter(name=name).update(last_value=F("last_value") + 1)
            return Sequence.objects.get(name=name).last_value
