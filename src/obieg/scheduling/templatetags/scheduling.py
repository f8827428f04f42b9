"""Template helpers of the calendar pages."""

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from obieg.scheduling import navigation

register = template.Library()

# History entries written by the sync and the feed name things that are not fields.
PSEUDO_FIELDS = {
    "conflict": _("Conflict with the external calendar (external → kept)"),
    "source": _("Changed in"),
    "feed_url": _("Feed URL"),
    "caldav": _("External calendar"),
    "members": _("members"),
    "skills": _("skills"),
}


@register.filter
def change_label(name: str, record) -> str:
    """A label for a key of an audit entry's changes."""
    if name in PSEUDO_FIELDS:
        return str(PSEUDO_FIELDS[name])
    try:
        return str(record._meta.get_field(name).verbose_name)
    except (FieldDoesNotExist, AttributeError):
        return name


@register.filter
def directions_url(address: str) -> str:
    return navigation.directions_url(address)


@register.filter
def geo_uri(address: str) -> str:
    return navigation.geo_uri(address)
