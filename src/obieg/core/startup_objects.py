"""What a web process loads at start, moved out of the garbage collector's way.

CPython's full collection walks every object the process holds. A web
process holds some 250,000 from start-up alone (Django, the URL patterns
and views, the models, the process labels), which never become garbage;
walking them took 100-200 ms of one core at each full collection on the
bench machine, a pause for every thread of the process, every hundred or
so requests of the documents list (bench/http_load.py p99). Frozen
(`gc.freeze`, Python's own advice for servers that fork), they are no
longer walked, and a full collection walks what requests left behind.
"""

from __future__ import annotations

import gc


def freeze() -> int:
    """Load what the first request would (every view), collect, then freeze what is left.

    Returns how many objects are frozen now, for the start-up log.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module now, not on first use
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
