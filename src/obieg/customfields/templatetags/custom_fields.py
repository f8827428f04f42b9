from django import template

from obieg.customfields import display

register = template.Library()


@register.filter
def custom_value(record, field) -> str:
    """`{{ account|custom_value:field }}`: the value as text, "" when empty."""
    return display.text_of(field, (getattr(record, "custom", None) or {}).get(field.key))


@register.inclusion_tag("customfields/_values.html")
def custom_values(record, fields, dt="col-5", dd="col-7"):
    """`<dl>` rows of a record's custom fields (the detail pages), in the page's columns."""
    return {"items": display.shown(record, fields), "dt": dt, "dd": dd}
