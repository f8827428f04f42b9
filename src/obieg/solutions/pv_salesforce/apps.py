from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PvSalesforceConfig(AppConfig):
    """S2: queues and schedules of the PV sales force; registration.py plugs it in."""

    name = "obieg.solutions.pv_salesforce"
    label = "pv_salesforce"
    verbose_name = _("PV sales force")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from obieg.solutions.pv_salesforce import registration

        registration.register()
