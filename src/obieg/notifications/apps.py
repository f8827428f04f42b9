from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The bell, reminders of tasks due and late, mentions in notes, and the daily digest."""

    name = "obieg.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from obieg.core import worker
        from obieg.crm import activity_hooks
        from obieg.notifications import digests, reminders, services

        # A person @mentioned in a note hears of it in the note's own transaction.
        activity_hooks.on_saved(services.mentions_notify)
        # Every worker's clock: each job runs on one worker at a time (marks.claimed).
        for job in (*reminders.JOBS, digests.send_due_digests):
            worker.every_tick(job)
