"""The columns of custom fields (obieg.customfields) in import and export files.

A column per active field, keyed by the record form's input (`custom_<key>`),
headed by the field's label in the reader's language; its key and both labels
are accepted as headers on import. Exports write numbers and dates as values
(so spreadsheets read them as such) and choices by label; imports go through
the record's form like every other column.
"""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import override

from obieg.customfields import selectors, values
from obieg.customfields.models import CustomField, label_in
from obieg.dataio.columns import CHOICE, DATE, DECIMAL, TEXT, Column

_KINDS = {
    CustomField.Kind.TEXT: TEXT,
    CustomField.Kind.NUMBER: DECIMAL,
    CustomField.Kind.DATE: DATE,
    CustomField.Kind.CHOICE: CHOICE,
}


def _lazy_label(polish: str, english: str):
    # Resolved in the language active when it is read: a header in the export's language.
    return lazy(lambda: label_in(polish, english), str)()


def _column(field: CustomField) -> Column:
    choices = tuple(
        (
            choice["value"],
            _lazy_label(choice.get("label_pl") or choice["value"], choice.get("label_en") or ""),
        )
        for choice in field.choices
    )
    with override("en"):
        english = field.label
    return Column(
        field.form_name,
        _lazy_label(field.label_pl, field.label_en),
        (field.key, field.label_pl, english),
        _KINDS[field.kind],
        choices,
        value=lambda record, field=field: values.typed(field, (record.custom or {}).get(field.key)),
    )


def custom_columns(record_type: str) -> tuple[Column, ...]:
    """The columns of the record type's active custom fields (one query)."""
    if not record_type:
        return ()
    return tuple(_column(field) for field in selectors.active_fields(record_type))


def custom_changed(before, after, name: str) -> bool:
    """Whether the form's `custom_<key>` input changes the record's value."""
    if not name.startswith("custom_"):
        return False
    key = name.removeprefix("custom_")
    return (before.custom or {}).get(key) != (after.custom or {}).get(key)
