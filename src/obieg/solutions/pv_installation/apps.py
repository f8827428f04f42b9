from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PvInstallationConfig(AppConfig):
    """S1: photovoltaic sale and installation (PV1) on the process engine."""

    name = "obieg.solutions.pv_installation"
    label = "pv_installation"
    verbose_name = _("PV installation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from obieg.solutions.pv_installation import registration

        registration.register()
