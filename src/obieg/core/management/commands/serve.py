"""`obieg serve`: the web application and one background worker in one process."""

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


class Command(BaseCommand):
    help = "Serve Obieg over HTTP with a background worker thread in the same process."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true", help="run the worker elsewhere")

    def handle(self, *args, host: str, port: int, threads: int, no_worker: bool, **options):
        from waitress import serve

        from obieg.wsgi import application

        _ensure_static_files_collected()
        run_start_hooks()
        if not no_worker:
            start_in_thread()
            start_clock_in_thread()
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(
            f"Obieg at http://{host}:{port}/ (database: {database}, "
            f"worker: {'separate' if no_worker else 'in-process'}); Ctrl+C stops it."
        )
        serve(application, host=host, port=port, threads=threads, **WAITRESS_OPTIONS)


def _ensure_static_files_collected() -> None:
    """Without the manifest of collected files every page would fail: say so at the start."""
    if settings.DEBUG or not hasattr(staticfiles_storage, "hashed_files"):
        return
    if not staticfiles_storage.hashed_files:  # read from staticfiles.json when it exists
        raise CommandError(
            f"The static files are not collected in {settings.STATIC_ROOT}: "
            "run `obieg collectstatic --noinput` first (make run does it)."
        )
