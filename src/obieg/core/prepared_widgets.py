"""Plain form widgets written in Python: the HTML of Django's widget templates, without them.

A list's filter bar is drawn on every visit. Through Django's widget
templates each <option> of a select is an {% include %} of its own template
and of the attributes' template, each with a context pushed and popped: the
account list's three selects (25 options) cost about 3 ms a page, more than
its 25 rows. `PreparedWidgets` is a form renderer that writes the widgets
whose templates are plain text with holes -- an <input> of any type and a
single <select> with its options -- exactly as django/forms/widgets/
input.html, select.html, select_option.html and attrs.html print them, from
the same context the widget built (Widget.get_context: the attributes, the
options, which one is selected). Everything else (radio lists, text areas,
a form's own templates) and any value those templates would treat specially
(a callable is called by a template, a number or date is localised) goes to
Django's renderer, so the HTML is always the same;
tests/core/test_prepared_widgets.py compares the two renderers case by case.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, SafeString, mark_safe

_WIDGETS = "django/forms/widgets/"
# The templates that are only {% include "django/forms/widgets/input.html" %}.
INPUT_TEMPLATES = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in (
        "input",
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
)
SELECT_TEMPLATE = f"{_WIDGETS}select.html"
OPTION_TEMPLATE = f"{_WIDGETS}select_option.html"


class NotPlain(Exception):
    """A value the widget templates would not print as plain text: let them draw it."""


def _text(value: Any) -> str:
    """`{{ value }}` of a string: escaped unless already safe. Others are the templates' job."""
    if isinstance(value, Promise):
        value = str(value)  # as conditional_escape does: translated now
    if isinstance(value, str):
        return conditional_escape(value)
    raise NotPlain(value)


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: "%s" % value, escaped unless the value was safe."""
    if callable(value) or isinstance(value, tuple):
        raise NotPlain(value)  # a template calls a callable; stringformat re-formats a tuple
    text = str(value)  # what "%s" % value gives for anything but a tuple
    return text if isinstance(value, SafeData) else escape(text)


def attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_formatted(value)}"')
    return "".join(parts)


def input_html(widget: dict) -> str:
    """django/forms/widgets/input.html (and the templates that only include it)."""
    value = widget["value"]
    if callable(value):
        raise NotPlain(value)
    shown = f' value="{_formatted(value)}"' if value != None else ""  # noqa: E711 (the template's test)
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{shown}{attrs_html(widget['attrs'])}>"
    )


def select_html(widget: dict) -> str:
    """django/forms/widgets/select.html with its options, as the renderer returns it (stripped)."""
    parts = [f'<select name="{_text(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if callable(group_name):
            raise NotPlain(group_name)
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE or callable(option["label"]):
                raise NotPlain(option)
            # The option's template ends with a line break, which the include keeps.
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"'
                f"{attrs_html(option['attrs'])}>{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class PreparedWidgets(DjangoTemplates):
    """Django's template renderer, with inputs and selects written directly (same HTML)."""

    def render(self, template_name, context, request=None) -> SafeString | str:
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict) and widget.get("template_name") == template_name:
            try:
                if template_name in INPUT_TEMPLATES:
                    return mark_safe(input_html(widget))
                if template_name == SELECT_TEMPLATE:
                    return mark_safe(select_html(widget))
            except NotPlain:
                pass
        return super().render(template_name, context, request=request)


# One for the process: a renderer's template engine (and its cached templates) is built once.
RENDERER = PreparedWidgets()
