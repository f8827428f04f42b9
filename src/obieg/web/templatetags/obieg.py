"""Template helpers shared by the CRM pages: Bootstrap form controls, NIP, optional links.

Money is formatted by the `pln` filter of `sales_format`; query strings by
Django's own `{% querystring %}`.
"""

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.urls import NoReverseMatch, reverse

from obieg.core.identifiers import format_nip

register = template.Library()

_WIDGET_CLASSES = {
    "checkbox": "form-check-input",
    "select": "form-select",
    "nullbooleanselect": "form-select",
    "selectmultiple": "form-select",
}


@register.filter
def control(field) -> str:
    """A bound field's widget with Bootstrap classes, marked is-invalid when it has errors."""
    classes = [_WIDGET_CLASSES.get(field.widget_type, "form-control")]
    attrs = {}
    if field.errors:
        classes.append("is-invalid")
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_errors"
    existing = field.field.widget.attrs.get("class")
    if existing:
        classes.append(existing)
    attrs["class"] = " ".join(classes)
    return field.as_widget(attrs=attrs)


@register.filter
def check_control(choice, field) -> str:
    """One radio button or checkbox of a choice field, styled as Bootstrap's form-check.

    The whole field through `control` would give each input `form-control`,
    which draws a radio button or checkbox as an empty, invisible box.
    """
    attrs = choice.data["attrs"]
    classes = ["form-check-input"]
    if field.errors:
        classes.append("is-invalid")
        attrs["aria-describedby"] = f"{field.auto_id}_errors"
    attrs["class"] = " ".join(classes)
    return choice.tag(wrap_label=False)


@register.filter
def nip(value) -> str:
    """A compact NIP shown the usual way: 123-456-32-18."""
    return format_nip(value or "")


@register.filter
def field_label(name: str, instance) -> str:
    """The verbose name of field `name` of a model instance (for audit entries)."""
    try:
        return str(instance._meta.get_field(name).verbose_name)
    except (FieldDoesNotExist, AttributeError):
        return name


@register.filter
def field_value(value, field_of):
    """An audited value as people read it: the choice's label ("proposal" → "Proposal").

    Used as `values.0|field_value:name_and_record` is not possible in templates,
    so the history include passes the pair through `field_of` ("name|record").
    """
    name, instance = field_of
    try:
        choices = dict(instance._meta.get_field(name).flatchoices)
    except (FieldDoesNotExist, AttributeError):
        return value
    return choices.get(value, value)


@register.filter
def of(name: str, instance):
    """Pairs a field name with its record, for `field_value`."""
    return (name, instance)


@register.simple_tag
def optional_url(name: str, *args) -> str:
    """The URL of view `name`, or '' while that view is not installed.

    The 360° page links to sales pages (opportunities, offers, contracts)
    that live in another part of the web app; a missing one hides the link
    instead of breaking the page.
    """
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.filter
def verbose_name(instance) -> str:
    """The model's name of a record ("account", "contact person")."""
    return str(instance._meta.verbose_name)
