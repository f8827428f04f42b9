from django.core.management.base import BaseCommand

from obieg.core.worker import (
    build_worker,
    run_start_hooks,
    run_until_stopped,
    start_clock_in_thread,
)


class Command(BaseCommand):
    help = "Run background tasks until stopped (SIGTERM or Ctrl+C stops it cleanly)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")

    def handle(self, *args, interval: float, batch: bool, **options):
        run_start_hooks()
        worker = build_worker(interval=interval, batch=batch)
        clock = None if batch else start_clock_in_thread()
        worker.configure_signals()
        try:
            run_until_stopped(worker)
        finally:
            worker.reset_signals()
            if clock is not None:
                clock.stop()
