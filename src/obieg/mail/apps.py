from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    """Outgoing e-mail: queued with the change that causes it, sent by the worker."""

    name = "obieg.mail"
    label = "mail"
    verbose_name = _("Mail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from obieg.core import access
        from obieg.web import navigation

        navigation.add("admin", _("Outbox"), "mail:outbox", visible=access.is_admin, order=50)
