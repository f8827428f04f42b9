"""`obieg serve`: the web application over HTTP.

Two layouts, one command:

- `obieg serve` (what `make run` starts): one process, waitress with a pool of
  threads, and a background worker in the same process. Nothing else to run.
- `obieg serve --processes N --no-worker` (production): gunicorn with N web
  processes (`--processes auto`: one per core) sharing one port; the workers
  run apart (`obieg worker`). One interpreter runs Python one thread at a
  time, so a single process queues concurrent page renders behind each other
  on a machine with spare cores; N processes render N pages at once.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management.base import BaseCommand, CommandError

from obieg.core.worker import run_start_hooks, start_clock_in_thread, start_in_thread

# Waitress 3 deletes X-Forwarded-For/-Proto unless told which proxy to trust, so
# behind a TLS proxy every request looked like plain http from the proxy: an
# endless redirect to https, and one address for every log-in. Obieg decides
# whom to believe in one place (TRUSTED_PROXIES, obieg.core.client_ip): waitress
# passes the headers on untouched.
WAITRESS_OPTIONS = {"ident": "obieg", "clear_untrusted_proxy_headers": False}

# The same for gunicorn: it would otherwise set the request's scheme itself from
# X-Forwarded-Proto (from 127.0.0.1 by default), and map SCRIPT_NAME/PATH_INFO
# headers, apart from TRUSTED_PROXIES. With these it passes every header on and
# leaves the decision to Obieg's middleware.
GUNICORN_PROXY_OPTIONS = {"secure_scheme_headers": {}, "forwarder_headers": ""}


def process_count(value: str) -> int:
    """`--processes`: a positive number, or "auto" for one per core this process may use."""
    if value == "auto":
        if hasattr(os, "sched_getaffinity"):  # the cores this process may run on (Linux)
            return len(os.sched_getaffinity(0))
        return os.cpu_count() or 1
    try:
        count = int(value)
    except ValueError:
        raise CommandError(f"--processes takes a number or 'auto', not {value!r}.") from None
    if count < 1:
        raise CommandError("--processes must be at least 1.")
    return count


class Command(BaseCommand):
    help = (
        "Serve Obieg over HTTP: one process with a background worker thread (the default), "
        "or several web processes (--processes N|auto --no-worker) for production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--processes",
            default="1",
            help="web processes: a number, or 'auto' for one per core (default 1: waitress)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help="threads per process (default 8 in one process, 4 in each of several)",
        )
        parser.add_argument("--no-worker", action="store_true", help="run the worker elsewhere")

    def handle(self, *args, host, port, processes, threads, no_worker, **options):
        count = process_count(processes)
        if count > 1 and not no_worker:
            raise CommandError(
                "Several web processes run without a worker of their own: add --no-worker "
                "and start the worker apart (`obieg worker`)."
            )
        _ensure_static_files_collected()
        run_start_hooks()
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        if count == 1:
            self._serve_in_one_process(host, port, threads or 8, no_worker, database)
        else:
            self._serve_in_processes(host, port, count, threads or 4, database)

    def _serve_in_one_process(self, host, port, threads, no_worker, database) -> None:
        from waitress import serve

        from obieg.wsgi import application

        if not no_worker:
            start_in_thread()
            start_clock_in_thread()
        self.stdout.write(
            f"Obieg at http://{host}:{port}/ (database: {database}, "
            f"worker: {'separate' if no_worker else 'in-process'}); Ctrl+C stops it."
        )
        serve(application, host=host, port=port, threads=threads, **WAITRESS_OPTIONS)

    def _serve_in_processes(self, host, port, count, threads, database) -> None:
        from django.db import connections

        # Each process opens its own connections: none may be inherited through the
        # fork (the start hooks above used one), or two processes would talk over
        # one socket and a child closing it would end the parent's session.
        connections.close_all()
        self.stdout.write(
            f"Obieg at http://{host}:{port}/ (database: {database}, {count} web processes "
            f"× {threads} threads, worker: separate); Ctrl+C or SIGTERM stops it.",
        )
        self.stdout.flush()
        server = gunicorn_server(
            bind=f"{host}:{port}", workers=count, threads=threads, proc_name="obieg-web"
        )
        server.run()


def gunicorn_server(**options):
    """Gunicorn serving obieg.wsgi, configured from `options` (gunicorn's setting names)."""
    from gunicorn.app.base import BaseApplication

    class ObiegGunicorn(BaseApplication):
        def load_config(self):
            settings_given = {
                "worker_class": "gthread",
                "accesslog": None,
                "errorlog": "-",
                # A request runs as long as it needs (issuing due invoices by hand can take
                # a minute); the timeout only catches a process whose main loop hangs.
                "graceful_timeout": 60,
                # Gunicorn's run-time control socket (one path per user by default, so
                # two servers on a machine would share it) is not needed: systemd starts,
                # stops and restarts the server.
                "control_socket_disable": True,
                # One request per connection. A kept-alive connection stays with the
                # process that accepted it, and a process runs Python on one core: wrk's
                # 10 connections split 8/2 between two processes, so one queued 8 pages
                # on its core while the other idled (p95 three times p50). Closed after
                # each answer, the next request goes to whichever process accepts
                # first, the idle one. Behind the proxy nothing changes for browsers:
                # their connections end at the proxy, and nginx opens one per request
                # to the web processes unless told otherwise (docs/operations.md).
                "keepalive": 0,
                **GUNICORN_PROXY_OPTIONS,
                **options,
            }
            for name, value in settings_given.items():
                self.cfg.set(name, value)

        def load(self):
            from obieg.wsgi import application

            return application

    return ObiegGunicorn()


def _ensure_static_files_collected() -> None:
    """Without the manifest of collected files every page would fail: say so at the start."""
    if settings.DEBUG or not hasattr(staticfiles_storage, "hashed_files"):
        return
    if not staticfiles_storage.hashed_files:  # read from staticfiles.json when it exists
        raise CommandError(
            f"The static files are not collected in {settings.STATIC_ROOT}: "
            "run `obieg collectstatic --noinput` first (make run does it)."
        )
