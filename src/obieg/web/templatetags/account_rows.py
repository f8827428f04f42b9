"""The 360° page's timeline item, for a view that draws one activity (marked done)."""

from django import template

from obieg.web.account_rows import TimelineItem, timeline_items

register = template.Library()


@register.filter
def timeline_item(activity) -> TimelineItem:
    """`activity` as web/activities/_timeline_entry.html prints it (a page prepares all at once)."""
    return timeline_items([activity])[0]
