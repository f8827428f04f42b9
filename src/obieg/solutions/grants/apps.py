from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    """S3: a business-support institution's grant projects on the process engine."""

    name = "obieg.solutions.grants"
    label = "grants"
    verbose_name = _("Grant projects")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from obieg.solutions.grants import registration

        registration.register()
