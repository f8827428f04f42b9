from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "obieg.scheduling"
    label = "scheduling"
    verbose_name = _("Calendar")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from obieg.core import worker
        from obieg.scheduling import tasks

        # Each worker's clock enqueues the periodic pull of external calendars
        # that are due; the claim is a conditional update, so many clocks agree.
        worker.every_tick(tasks.enqueue_due_syncs)

        from obieg.scheduling import registration

        registration.register_pages()
