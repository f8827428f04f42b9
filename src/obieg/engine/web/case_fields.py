"""What a case's data means to a person: each key's label and its value as people read it.

Case data is keyed by the names of the form fields that wrote it
(`head_decision`, `suggested_department`), and values are stored raw (a
choice's code, a department's id). The forms know better: a field's label
is what the key means, a choice field knows the label of the code, a model
choice field the record behind the id. So the case page and the task page
read the keys through the forms of the case's own tasks. Keys no form
wrote (a solution's start data, a decision's output) may be declared by
the solution with a field (`declare`); anything else is shown with its key
made readable.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import formats
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from obieg.engine import registry
from obieg.engine.models import Case

TEXT_LIMIT = 300
# Keys that say something to the next person: a return's or a refusal's reason.
COMMENT_SUFFIXES = ("comment", "_reason", "_note")

_declared: dict[str, forms.Field] = {}


def declare(key: str, field: forms.Field) -> None:
    """Say what a data key no task form writes means (label, and its values through `field`)."""
    _declared[key] = field


def fields_of(case: Case) -> dict[str, forms.Field]:
    """The fields that wrote (or may write) the case's data, by key: one query."""
    keys = (
        case.work_items.exclude(form_key="").values_list("form_key", flat=True).distinct()
        if case.pk
        else []
    )
    fields = dict(_declared)
    for key in sorted(keys):
        form_class = registry.get_form(key)
        if form_class is not None:
            for name, field in form_class.base_fields.items():
                fields.setdefault(name, field)
    return fields


def is_comment(key: str) -> bool:
    return key == "comment" or key.endswith(COMMENT_SUFFIXES)


def label(key: str, fields: dict[str, forms.Field]) -> str:
    field = fields.get(key)
    if field is not None and field.label:
        return str(field.label)
    return key.replace("_", " ").strip().capitalize() or key


def rows(data: dict, fields: dict[str, forms.Field]) -> list[tuple[str, str]]:
    """`data` as (label, text) pairs in key order; records behind ids read in one query per key."""
    records = _records(data, fields)
    result = []
    for key in sorted(data):
        text = _text(data[key], fields.get(key), records.get(key, {}))
        result.append((label(key, fields), _shorten(text)))
    return result


def _records(data: dict, fields: dict[str, forms.Field]) -> dict[str, dict[str, str]]:
    """For each model-choice key, the records its ids name, as text by id."""
    found: dict[str, dict[str, str]] = {}
    for key, value in data.items():
        field = fields.get(key)
        if not isinstance(field, forms.ModelChoiceField) or value in (None, "", []):
            continue
        if field.queryset is None:  # a form that sets its choices per instance
            continue
        ids = [v for v in (value if isinstance(value, list) else [value]) if _is_id(v)]
        if ids:
            records = field.queryset.filter(pk__in=ids)
            found[key] = {str(record.pk): field.label_from_instance(record) for record in records}
    return found


def _is_id(value: Any) -> bool:
    return isinstance(value, int) or (isinstance(value, str) and value.isdigit())


def _text(value: Any, field: forms.Field | None, records: dict[str, str]) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(field, forms.ModelChoiceField):
        values = value if isinstance(value, list) else [value]
        return ", ".join(records.get(str(v), str(v)) for v in values)
    if isinstance(field, forms.ChoiceField):
        listed: Iterable = field.choices  # type: ignore[assignment]  # lists, by then
        choices = dict(_flat_choices(listed))
        values = value if isinstance(value, list) else [value]
        return ", ".join(str(choices.get(v, v)) for v in values)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(field, forms.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    if isinstance(field, forms.DateField) and isinstance(value, str):
        day = parse_date(value)
        if day is not None:
            return formats.date_format(day, "SHORT_DATE_FORMAT")
    if isinstance(value, datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(field, forms.DecimalField | forms.FloatField | forms.IntegerField):
        try:
            return formats.number_format(Decimal(str(value)), use_l10n=True, force_grouping=True)
        except (InvalidOperation, ValueError):
            return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    return str(value)


def _flat_choices(choices: Iterable) -> Iterable[tuple[Any, Any]]:
    for value, text in choices:
        if isinstance(text, list | tuple):  # an optgroup
            yield from _flat_choices(text)
        else:
            yield value, text


def _shorten(text: str) -> str:
    return text if len(text) <= TEXT_LIMIT else f"{text[:TEXT_LIMIT]}…"
