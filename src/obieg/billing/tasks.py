"""Background work of billing: issuing the invoices that payment schedules call for.

Enqueue `issue_due_invoices_task` once a day (the engine's clock or cron via
`obieg billing_issue_due`); running it more often, or on several workers, is
safe: each schedule item gets exactly one invoice.
"""

from __future__ import annotations

from django_tasks import task

from obieg.billing.invoicing import SCHEDULER
from obieg.billing.schedules import issue_due_invoices


@task()
def issue_due_invoices_task() -> dict:
    report = issue_due_invoices(actor=SCHEDULER)
    return {
        "issued": [invoice.number for invoice in report.issued],
        "refused": {item.pk: message for item, message in report.refused},
    }
