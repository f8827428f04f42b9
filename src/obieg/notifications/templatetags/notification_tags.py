"""How a notification reads, in the language of the page (or of the e-mail) that shows it.

Only the kind, the name of the task or note, the person and the time are
stored; the sentence is made when shown, so a Polish reader and an English
reader each read it in their own language.
"""

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from obieg.notifications.models import Kind, Notification

register = template.Library()


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


@register.filter
def describe(notification: Notification) -> str:
    # A task's name in the reader's language where the list read it (selectors.with_task_names).
    title = getattr(notification, "shown_title", None) or notification.title
    values = {"title": title, "person": notification.actor or _("someone")}
    due = notification.due_at
    if notification.kind == Kind.MENTION:
        return _("%(person)s mentioned you in “%(title)s”") % values
    if notification.kind == Kind.ASSIGNED:
        if notification.actor_id:
            return _("%(person)s handed you the task “%(title)s”") % values
        return _("A new task for you: “%(title)s”") % values
    if notification.kind == Kind.DUE_TODAY and due is not None:
        time = formats.time_format(timezone.localtime(due), "TIME_FORMAT")
        return _("Due today at %(time)s: “%(title)s”") % {**values, "time": time}
    if notification.kind == Kind.OVERDUE and due is not None:
        return _("Overdue since %(when)s: “%(title)s”") % {**values, "when": _when(due)}
    if notification.kind == Kind.OFFER_ACCEPTED:
        return _("The customer accepted the offer “%(title)s”") % values
    if notification.kind == Kind.OFFER_REJECTED:
        return _("The customer rejected the offer “%(title)s”") % values
    return str(notification)


@register.filter
def when(moment) -> str:
    """A stored moment in local time, in the active language's short format."""
    return _when(moment) if moment else ""
