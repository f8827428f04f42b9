"""A Django form built from a form schema: what the task page renders and what the server checks.

One class serves both, so the page and the check cannot disagree. The rules
follow form-js's own (`validate.required`, `min`/`max`, `minLength`/`maxLength`,
`pattern` found anywhere in the value, as JavaScript's `RegExp.test` does,
email and phone), and each answer keeps its type in the case data: a
number is a Decimal (an int without decimals), a date a date, a choice the
option's value, a checklist a list of them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from obieg.engine.form_schema import translations
from obieg.engine.form_schema.schema import inputs, number

# Values nobody types into a task form; the limits stop a huge post from reaching the case.
TEXT_LIMIT = 1000
TEXTAREA_LIMIT = 10000
# form-js's "phone" accepts an international number; this is the same idea, kept simple.
PHONE = RegexValidator(r"^\+?[0-9][0-9 ()\-]{5,24}$", _("Enter a phone number."))


def form_class(schema: dict[str, Any], *, name: str = "SchemaForm") -> type[forms.Form]:
    """A form class with one field per input component of a (checked) schema.

    The schema's text components come along as the form's brief, shown above
    the fields by the task page (as plain text: its Markdown is not rendered).
    Labels, descriptions, texts and option labels are in the reader's
    language where the schema has them (`translations`), picked at render.
    """
    fields = {component["key"]: _field(component) for component in inputs(schema)}
    attributes: dict[str, Any] = {**fields, "schema": schema}
    texts = [text for text in _texts(schema) if text]
    if texts:
        attributes.update(brief_template="engine/_schema_form_texts.html", brief=texts)
    return type(name, (forms.Form,), attributes)


def _texts(container: dict[str, Any]) -> list[Any]:
    found = []
    for component in container.get("components") or []:
        if component.get("type") == "group":
            found += _texts(component)
        elif component.get("type") == "text" and isinstance(component.get("text"), str):
            found.append(translations.word(component, "text", _plain(component["text"])))
    return found


def _plain(text: str) -> str:
    return text.strip().lstrip("#").strip()


def _field(component: dict[str, Any]) -> forms.Field:
    validate = component.get("validate") or {}
    label, description = component.get("label") or component["key"], component.get("description")
    common: dict[str, Any] = {
        "label": translations.word(component, "label", label),
        "required": bool(validate.get("required")),
        "help_text": translations.word(component, "description", description or ""),
        # Read-only fields show their default and ignore whatever is posted.
        "disabled": bool(component.get("readonly") or component.get("disabled")),
    }
    if "defaultValue" in component:
        common["initial"] = component["defaultValue"]
    build = _BUILDERS[component["type"]]
    return build(component, validate, common)


def _text(component, validate, common, *, limit: int, widget=None) -> forms.Field:
    max_length = min(_whole(validate.get("maxLength")) or limit, limit)
    kind = validate.get("validationType") or ""
    validators = [PHONE] if kind == "phone" else []
    if validate.get("pattern"):
        validators.append(RegexValidator(validate["pattern"], _pattern_message(validate)))
    field_class = forms.EmailField if kind == "email" else forms.CharField
    return field_class(
        max_length=max_length,
        min_length=_whole(validate.get("minLength")),
        validators=validators,
        widget=widget,
        **common,
    )


def _pattern_message(validate: dict[str, Any]) -> Any:  # text, or a lazy translation
    return validate.get("patternErrorMessage") or _("Enter a value in the expected format.")


def _textfield(component, validate, common):
    return _text(component, validate, common, limit=TEXT_LIMIT)


def _textarea(component, validate, common):
    return _text(
        component,
        validate,
        common,
        limit=TEXTAREA_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _number(component, validate, common):
    digits = component.get("decimalDigits")
    bounds = {
        "min_value": _decimal(validate.get("min")),
        "max_value": _decimal(validate.get("max")),
    }
    if digits == 0:
        return forms.IntegerField(**bounds, **common)
    step = component.get("increment") or (Decimal(1).scaleb(-digits) if digits else "any")
    return forms.DecimalField(
        max_digits=30,
        decimal_places=digits,
        widget=forms.NumberInput(attrs={"step": str(step)}),
        **bounds,
        **common,
    )


def _decimal(value) -> Decimal | None:
    return number(value)


def _whole(value) -> int | None:
    found = number(value)
    return int(found) if found else None


def _checkbox(component, validate, common):
    return forms.BooleanField(**common)


def _options(component) -> list[tuple[str, Any]]:
    """(value, label) pairs; the label in the reader's language where the schema has it."""
    found = []
    for choice in component["values"]:
        value = str(choice["value"])
        found.append(
            (value, translations.option(component, value, str(choice.get("label") or value)))
        )
    return found


def _radio(component, validate, common):
    return forms.ChoiceField(choices=_options(component), widget=forms.RadioSelect, **common)


def _select(component, validate, common):
    choices = [("", "—"), *_options(component)]
    return forms.ChoiceField(choices=choices, **common)


def _checklist(component, validate, common):
    return forms.MultipleChoiceField(
        choices=_options(component), widget=forms.CheckboxSelectMultiple, **common
    )


def _taglist(component, validate, common):
    return forms.MultipleChoiceField(choices=_options(component), **common)


def _datetime(component, validate, common):
    subtype = component.get("subtype", "date")
    if subtype == "time":
        return forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), **common)
    if subtype == "datetime":
        widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
        return forms.DateTimeField(widget=widget, **common)
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return forms.DateField(widget=widget, **common)


_BUILDERS = {
    "textfield": _textfield,
    "textarea": _textarea,
    "number": _number,
    "checkbox": _checkbox,
    "radio": _radio,
    "select": _select,
    "checklist": _checklist,
    "taglist": _taglist,
    "datetime": _datetime,
}
