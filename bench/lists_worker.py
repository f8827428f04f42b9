"""One database's half of bench/lists.py: load the data, time the pages, return figures.

Runs in a subprocess whose environment (DATABASE_URL, DEBUG, MEDIA_ROOT)
the parent set, because Django reads its settings once at import.
"""

from __future__ import annotations

import io
import logging
import os
import statistics
import sys
import time
from urllib.parse import urlencode


def run(args) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obieg.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    data = load_large_data(args.scale)
    from inbox_items import ensure_work_items

    data["work_items"] = ensure_work_items(round(1_000_000 * args.scale))
    load_before = os.getloadavg()[0]
    try:
        pages = _measure(args.runs, args.warmup, args.pages)
    except Exception as error:  # the bench reports what it could measure
        print(f"  measuring stopped: {type(error).__name__}: {error}", file=sys.stderr)
        pages = []
    # Other work on the machine slows every page alike; the load says how much.
    load = {"before": load_before, "after": os.getloadavg()[0], "cpus": os.cpu_count()}
    return {"database": args.worker, "data": data, "pages": pages, "load": load}


def load_large_data(scale: float) -> dict:
    """The large data set in the database Django is set up with: made once, then reused.

    bench/http_load.py loads its database with it too.
    """
    from django.core.management import call_command

    from obieg.crm.models import Account, Activity, Opportunity
    from obieg.demo.large import large_data_present

    started = time.monotonic()
    if large_data_present():
        how = "reused"
    else:
        how = "generated"
        call_command("demo", "--size", "large", "--scale", str(scale), stdout=io.StringIO())
    return {
        "how": how,
        "seconds": time.monotonic() - started,
        "accounts": Account.objects.count(),
        "activities": Activity.objects.count(),
        "opportunities": Opportunity.objects.count(),
    }


def _pages() -> list[tuple[str, str]]:
    from django.urls import NoReverseMatch, reverse

    from obieg.core.models import User
    from obieg.crm.models import Account
    from obieg.demo.large import BIG_ACCOUNT_NAME

    big = Account.objects.filter(name=BIG_ACCOUNT_NAME).order_by("id").first()
    seller = User.objects.get(username="salesperson")
    # A NIP of one of the seller's customers, so both users find it.
    nip = (
        Account.objects.filter(owner=seller, kind=Account.Kind.COMPANY)
        .exclude(nip="")
        .order_by("id")
        .values_list("nip", flat=True)[100:101]
        .first()
    ) or "0000000000"
    # A phone of one of the seller's customers, typed as people do.
    phone = (
        Account.objects.filter(owner=seller)
        .exclude(phone="")
        .order_by("id")
        .values_list("phone", flat=True)[100:101]
        .first()
    ) or "+48 600 000 000"
    try:
        accounts = reverse("account_list")
        opportunities = reverse("opportunity_list")
        search = reverse("global_search")
        return [
            ("account list", accounts),
            ("search name (common)", f"{accounts}?{urlencode({'q': 'Wiśniew'})}"),
            ("search name (rare)", f"{accounts}?{urlencode({'q': 'Wielki Obieg'})}"),
            ("search NIP", f"{accounts}?{urlencode({'q': nip})}"),
            # Polish-aware search (core.text_search): no accents typed, Polish order kept.
            (
                "search 'wisniew' by name",
                f"{accounts}?{urlencode({'q': 'wisniew', 'sort': 'name'})}",
            ),
            ("search 'lodz' (a town)", f"{accounts}?{urlencode({'q': 'lodz', 'sort': 'name'})}"),
            ("search 'zolw' (none)", f"{accounts}?{urlencode({'q': 'zolw'})}"),
            ("opportunities 'kwp' (all)", f"{opportunities}?{urlencode({'q': 'kwp'})}"),
            ("opportunities 'obieg'", f"{opportunities}?{urlencode({'q': 'wielki obieg'})}"),
            ("global search 'wisniew'", f"{search}?{urlencode({'q': 'wisniew'})}"),
            ("global search 'zolw'", f"{search}?{urlencode({'q': 'zolw'})}"),
            ("global search NIP", f"{search}?{urlencode({'q': nip[:6]})}"),
            ("global search phone", f"{search}?{urlencode({'q': phone})}"),
            ("account 360 (big)", reverse("account_detail", args=[big.pk])),
            ("pipeline", reverse("opportunity_pipeline")),
            # The inbox over 10^6 work items (bench/inbox_items.py); page 2 by its cursor.
            ("inbox", reverse("engine:inbox")),
            ("inbox page 2", INBOX_PAGE_2),
            ("inbox one process", f"{reverse('engine:inbox')}?process=ten_steps"),
        ]
    except NoReverseMatch as error:
        print(f"A page is missing: {error}")
        return []


INBOX_PAGE_2 = "inbox?page=2"  # made per user: the cursor is theirs
# The installer: a role and a department, both with queued work (inbox pages only).
INBOX_ONLY_USERS = ("installer",)


def _inbox_page_2(user) -> str:
    from django.urls import reverse

    from obieg.engine import selectors
    from obieg.engine.web.views_inbox import PAGE_SIZE

    cursor = selectors.inbox_page(user, size=PAGE_SIZE).next_cursor
    return reverse("engine:inbox") + (f"?{urlencode({'cursor': cursor})}" if cursor else "")


def _measure(runs: int, warmup: int, only: str = "") -> list[dict]:
    from django.db import connection
    from django.test import Client

    from obieg.core.models import User

    # A failing page is reported once below, not logged on every run.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    results = []
    pages = [(label, url) for label, url in _pages() if not only or only in label]
    for username in ("salesperson", "admin", *INBOX_ONLY_USERS):
        user = User.objects.get(username=username)
        # HTTP_HOST: the test client's default "testserver" is not an allowed host here.
        client = Client(HTTP_HOST="localhost", raise_request_exception=False)
        client.force_login(user)
        for label, url in pages:
            if username in INBOX_ONLY_USERS and not label.startswith("inbox"):
                continue
            if url == INBOX_PAGE_2:
                url = _inbox_page_2(user)
            for _ in range(warmup):
                client.get(url)
            with connection.execute_wrapper(counter := _QueryCounter()):
                status = client.get(url).status_code
            if status >= 500:
                _report_error(client, url)
            times, cpu = [], []
            for _ in range(runs):
                started, cpu_started = time.perf_counter(), time.process_time()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                # This process's CPU: Django, templates and (for SQLite) the database;
                # unlike the wall time it hardly moves when other work shares the machine.
                cpu.append((time.process_time() - cpu_started) * 1000)
            results.append(
                {
                    "page": label,
                    "url": url,
                    "user": username,
                    "status": status,
                    "runs": runs,
                    "median_ms": statistics.median(times),
                    "p95_ms": _p95(times),
                    "cpu_ms": statistics.median(cpu),
                    "queries": counter.count,
                }
            )
            print(
                f"  {username:<12} {label:<30} {results[-1]['median_ms']:8.1f} ms",
                file=sys.stderr,
                flush=True,
            )
    return results


def _report_error(client, url: str) -> None:
    client.raise_request_exception = True
    try:
        client.get(url)
    except Exception as error:
        print(f"  {url}: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
    finally:
        client.raise_request_exception = False


class _QueryCounter:
    """Counts the SQL statements of one request (connection.queries is capped when full)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _p95(times: list[float]) -> float:
    if len(times) < 2:
        return times[0]
    return statistics.quantiles(times, n=20, method="inclusive")[18]
