from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "obieg.billing"
    label = "billing"
    verbose_name = _("Billing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from obieg.billing.clock import enqueue_due_invoices_hourly
        from obieg.core import worker

        worker.every_tick(enqueue_due_invoices_hourly)

        from obieg.web import navigation

        navigation.add("operations", _("Invoices"), "billing:invoice_list", order=10)

        from obieg.billing import home

        home.register()  # the accountant's home: invoices to issue, payments overdue
