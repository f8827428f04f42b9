"""`{% catalogue_picker %}`: the suggestions offer lines pick catalogue items from."""

from __future__ import annotations

from django import template

from obieg.catalogue import rules, selectors
from obieg.catalogue.picker import picker_label

register = template.Library()


@register.inclusion_tag("catalogue/_picker.html", takes_context=True)
def catalogue_picker(context) -> dict:
    """The <datalist> behind the lines' item inputs (for those who may read the catalogue)
    and the script that asks the server instead, as the user types."""
    request = context.get("request")
    if request is None or not rules.may_read(request.user):
        return {"enabled": False}
    items = selectors.picker_items()
    return {
        "enabled": True,
        "options": [(product.code, picker_label(product)) for product in items],
        "more": len(items) == selectors.PICKER_LIMIT and selectors.picker_has_more(),
    }
