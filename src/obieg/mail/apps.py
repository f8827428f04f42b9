from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    """Outgoing e-mail: queued with the change that causes it, sent by the worker."""

    name = "obieg.mail"
    label = "mail"
    verbose_name = _("Mail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from obieg.core import access, worker
        from obieg.mail import services
        from obieg.web import navigation

        # A message whose delivery job is gone gets a new one from any worker's clock.
        worker.every_tick(services.requeue_stranded_mail)

        navigation.add("admin", _("Outbox"), "mail:outbox", visible=access.is_admin, order=50)
