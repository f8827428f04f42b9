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

        from obieg.web import dashboards, navigation

        navigation.add("operations", _("PV projects"), "pv:project_list", order=30)
        # "New lead" on a seller's home page starts a PV case with its audit.
        navigation.add_start(
            _("PV installation"), "pv:lead_new", visible=dashboards.sells, order=10
        )
