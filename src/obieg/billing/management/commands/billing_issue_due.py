"""`obieg billing_issue_due`: issue every invoice due from payment schedules (cron-friendly)."""

from django.core.management.base import BaseCommand

from obieg.billing.invoicing import SCHEDULER
from obieg.billing.schedules import issue_due_invoices


class Command(BaseCommand):
    help = "Issue the invoices that payment schedules call for up to today; safe to repeat."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="At most this many items.")

    def handle(self, *args, limit=None, **options):
        report = issue_due_invoices(actor=SCHEDULER, limit=limit)
        for invoice in report.issued:
            self.stdout.write(f"issued {invoice.number}")
        for item, message in report.refused:
            self.stderr.write(f"schedule item {item.pk} ({item.contract}): {message}")
        self.stdout.write(f"{len(report.issued)} issued, {len(report.refused)} refused")
