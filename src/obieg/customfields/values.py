"""Custom values in their one stored form, and back to typed values and labels.

Stored (canonical) forms, written by every way in (form, API, import):

- text: the text, trimmed, at most `TEXT_MAX` characters;
- number: the exact decimal as text without exponent ("150000.5", "-3"): JSON
  numbers would be floats in SQLite and in many clients;
- date: ISO "2026-12-31" (sorts and compares as text);
- choice: the choice's stored value, never its label.

An empty value is not stored: the key is left out of the record's object.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from obieg.core.numbers import parse_decimal
from obieg.customfields.models import CustomField, label_in

TEXT_MAX = 1000
# NUMERIC(21, 6): 15 digits before the point, 6 after; what the filters cast to.
NUMBER_DIGITS = 21
NUMBER_PLACES = 6
_NUMBER_LIMIT = Decimal(10) ** (NUMBER_DIGITS - NUMBER_PLACES)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def number_text(value: Decimal) -> str:
    """The canonical text of a number: no exponent, no trailing zeros."""
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def check_number(value: Decimal) -> Decimal:
    """`value` if it fits the stored precision, else ValidationError."""
    if not value.is_finite():
        raise ValidationError(_("Enter a number."), code="invalid")
    if abs(value) >= _NUMBER_LIMIT:
        raise ValidationError(
            _("Enter a number with at most %(digits)d digits before the decimal point.")
            % {"digits": NUMBER_DIGITS - NUMBER_PLACES},
            code="max_whole_digits",
        )
    if -value.normalize().as_tuple().exponent > NUMBER_PLACES:
        raise ValidationError(
            _("Enter a number with at most %(places)d decimal places.") % {"places": NUMBER_PLACES},
            code="max_decimal_places",
        )
    return value


def canonical(field: CustomField, value: Any, *, previous: str | None = None) -> str | None:
    """The stored form of a typed value (as a form or serializer cleaned it); None for empty.

    A choice must be on the list; a retired one only when the record already holds it
    (`previous`), so saving a record does not drop a value it had.
    """
    if value in (None, ""):
        return None
    kind = field.kind
    if kind == CustomField.Kind.TEXT:
        text = str(value).strip()
        if "\x00" in text:
            raise ValidationError(_("Null characters are not allowed."), code="null_characters")
        if len(text) > TEXT_MAX:
            raise ValidationError(
                _("Enter at most %(count)d characters.") % {"count": TEXT_MAX}, code="max_length"
            )
        return text or None
    if kind == CustomField.Kind.NUMBER:
        return number_text(check_number(to_decimal(value)))
    if kind == CustomField.Kind.DATE:
        return to_date(value).isoformat()
    if kind == CustomField.Kind.CHOICE:
        text = str(value)
        allowed = {choice["value"] for choice in field.active_choices()}
        if text in allowed or (text == previous and field.choice(text) is not None):
            return text
        raise ValidationError(
            _("“%(value)s” is not one of the choices.") % {"value": text}, code="invalid_choice"
        )
    raise ValueError(f"unknown custom field kind {kind!r}")


def to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValidationError(_("Enter a number."), code="invalid")
    if isinstance(value, Decimal | int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))  # the number as written in the JSON, not the binary float
    try:
        return parse_decimal(str(value))  # "150 000,50" as the pages show it, or "150000.50"
    except ValueError as error:
        raise ValidationError(_("Enter a number."), code="invalid") from error


def to_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        if not isinstance(value, str) or not _ISO_DATE.match(value):
            raise ValueError(value)  # Python also reads "20261231" and week dates
        return date.fromisoformat(value)
    except ValueError as error:
        raise ValidationError(
            _("Enter a date as YYYY-MM-DD (e.g. 2026-12-31)."), code="invalid"
        ) from error


def typed(field: CustomField, stored: str | None) -> Any:
    """The stored text as a Python value: Decimal, date or str (None when empty)."""
    if stored in (None, ""):
        return None
    try:
        if field.kind == CustomField.Kind.NUMBER:
            return Decimal(stored)
        if field.kind == CustomField.Kind.DATE:
            return date.fromisoformat(stored)
    except (InvalidOperation, ValueError, TypeError):
        return stored  # never raised for what Obieg wrote; shown as it is rather than a 500
    return stored


def choice_label(field: CustomField, value: str) -> str:
    choice = field.choice(value)
    if choice is None:
        return value
    return label_in(choice.get("label_pl") or value, choice.get("label_en") or "")


def is_retired(field: CustomField, value: str | None) -> bool:
    """A stored choice no longer offered (shown, flagged, until someone changes it)."""
    if field.kind != CustomField.Kind.CHOICE or value in (None, ""):
        return False
    choice = field.choice(value)
    return choice is None or bool(choice.get("retired"))


def ordered(values: dict[str, str]) -> dict[str, str]:
    """The values by key, so equal objects print equally (audit trail, change checks)."""
    return {key: values[key] for key in sorted(values)}


@deconstructible
class CustomValues:
    """The model-level check of a record's `custom` object (run by every service's full_clean).

    Every key must be a field defined for the record type, every value a string in
    that field's stored form. Requiredness is a rule for people and API clients
    entering a record (the forms and the serializer), not for a process moving an
    opportunity on or a lead being converted after an administrator added a field.
    """

    def __init__(self, record_type: str):
        self.record_type = record_type

    def __call__(self, value: Any) -> None:
        if not isinstance(value, dict):
            raise ValidationError(_("Custom values must be an object."), code="invalid")
        if not value:
            return
        fields = {
            field.key: field
            for field in CustomField.objects.filter(record_type=self.record_type, key__in=value)
        }
        errors = []
        for key, stored in value.items():
            field = fields.get(key)
            if field is None:
                errors.append(_("“%(key)s” is not a custom field.") % {"key": key})
                continue
            try:
                if (
                    not isinstance(stored, str)
                    or canonical(field, stored, previous=stored) != stored
                ):
                    raise ValidationError("not in its stored form")  # caught below
            except ValidationError:
                errors.append(
                    _("%(field)s: “%(value)s” is not a valid value.")
                    % {"field": field.label, "value": stored}
                )
        if errors:
            raise ValidationError(errors, code="invalid")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CustomValues) and other.record_type == self.record_type
