"""Custom values as people read them: numbers and dates in the page's language, choices by label."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats

from obieg.customfields import values
from obieg.customfields.models import CustomField


@dataclass(frozen=True)
class Shown:
    key: str
    label: str
    text: str
    retired: bool = False


def text_of(field: CustomField, stored: str | None) -> str:
    if stored in (None, ""):
        return ""
    value = values.typed(field, stored)
    if field.kind == CustomField.Kind.NUMBER and not isinstance(value, str):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    if field.kind == CustomField.Kind.DATE and not isinstance(value, str):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if field.kind == CustomField.Kind.CHOICE:
        return values.choice_label(field, stored)
    return str(value)


def shown(record, fields: list[CustomField]) -> list[Shown]:
    """Each of `fields` with the record's value (empty ones too: a page lists them all)."""
    stored = getattr(record, "custom", None) or {}
    return [
        Shown(
            key=field.key,
            label=field.label,
            text=text_of(field, stored.get(field.key)),
            retired=values.is_retired(field, stored.get(field.key)),
        )
        for field in fields
    ]
