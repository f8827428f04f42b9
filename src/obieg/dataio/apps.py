from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataioConfig(AppConfig):
    """Import of CRM records from CSV/XLSX files and export of the lists as filtered."""

    name = "obieg.dataio"
    label = "dataio"
    verbose_name = _("Import and export")
    default_auto_field = "django.db.models.BigAutoField"
