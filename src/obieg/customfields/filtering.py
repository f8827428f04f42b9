"""Filters on custom values, the same for the lists, their exports and the API.

Parameters, by the field's key:

    custom.<key>=<value>      a choice: that choice; text: contains, case and Polish
                              letters ignored ("lodz" finds Łódź); a number or date:
                              exactly that
    custom.<key>.min=<value>  a number or date: at least (inclusive)
    custom.<key>.max=<value>  a number or date: at most (inclusive)

They read the indexed copy of the values (`CustomValue`, kept by
customfields.indexing), not the JSON: a condition is "the record's id is
among the rows of this field with this value", which an index on (field,
value, record) answers on SQLite and PostgreSQL alike. Numbers compare as
NUMERIC(21, 6), dates as their ISO text (which sorts as the dates do), text
as its folded form (core.text_search.fold) containing the folded query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import connection
from django.db.models import BigIntegerField, QuerySet
from django.db.models.lookups import In
from django.utils.translation import gettext as _

from obieg.core.inputs import DateInput
from obieg.core.numbers import DecimalInputField
from obieg.core.prepared_widgets import RENDERER as PREPARED_WIDGETS
from obieg.core.text_search import fold
from obieg.core.unindexed import Unindexed
from obieg.customfields import values
from obieg.customfields.models import CustomField, CustomValue

PREFIX = "custom."
BOUNDS = ("min", "max")


_LOOKUP = {"eq": "exact", "min": "gte", "max": "lte"}


@dataclass(frozen=True)
class Condition:
    key: str
    kind: str
    operator: str  # "eq", "contains", "min", "max"
    value: Any  # the stored form for text and choices, Decimal for numbers, ISO text for dates
    field_id: int  # the definition, whose rows (`CustomValue`) the condition reads

    def lookup(self) -> dict[str, Any]:
        """The condition on the field's `CustomValue` rows."""
        if self.kind == CustomField.Kind.NUMBER:
            return {f"number__{_LOOKUP[self.operator]}": self.value}
        if self.operator == "contains":
            return {"text__contains": fold(self.value)}
        return {f"exact__{_LOOKUP[self.operator]}": self.value}


def apply(
    queryset: QuerySet,
    conditions: tuple[Condition, ...] | list[Condition],
    *,
    tested: bool = False,
) -> QuerySet:
    """`queryset` narrowed to records meeting every condition; one subquery per field.

    A field's bounds go in one subquery, so "from March 1 to March 31" reads
    a month of the value index, not everything after March 1 and everything
    before March 31. The subquery's ids drive the query (the value index
    finds a rare value at once). With `tested`, SQLite instead tests each
    row's id against them while it walks the list's sort index: a page of a
    common value is then found in sort order without a lookup and a sort of
    every match (the account list's pages with more matches than it counts,
    crm.selectors.accounts._search_page).
    """
    by_field: dict[int, dict[str, Any]] = {}
    for condition in conditions:
        by_field.setdefault(condition.field_id, {}).update(condition.lookup())
    for field_id, lookups in by_field.items():
        ids = CustomValue.objects.filter(field_id=field_id, **lookups).values("record_id")
        if tested and connection.vendor == "sqlite":
            record_id = Unindexed("pk", output_field=BigIntegerField())
            queryset = queryset.filter(In(record_id, ids))
        else:
            queryset = queryset.filter(pk__in=ids)
    return queryset


def parameter(field: CustomField, bound: str = "") -> str:
    return f"{PREFIX}{field.key}.{bound}" if bound else f"{PREFIX}{field.key}"


class CustomFilterForm(forms.Form):
    """The filter inputs of `fields` (a choice list, a text box, or from–to bounds)."""

    # Drawn above every list that has custom columns: inputs and selects written directly.
    default_renderer = PREPARED_WIDGETS

    def __init__(self, data, *, fields: list[CustomField], **kwargs):
        super().__init__(data, **kwargs)
        self.custom_fields = fields
        for field in fields:
            if field.kind == CustomField.Kind.CHOICE:
                choices = [("", _("all"))] + [
                    (choice["value"], values.choice_label(field, choice["value"]))
                    for choice in field.choices
                ]
                self.fields[parameter(field)] = forms.ChoiceField(
                    label=field.label, required=False, choices=choices
                )
            elif field.kind == CustomField.Kind.TEXT:
                self.fields[parameter(field)] = forms.CharField(
                    label=field.label, required=False, max_length=values.TEXT_MAX
                )
            else:
                for bound in BOUNDS:
                    self.fields[parameter(field, bound)] = _bound_field(field, bound)
                if data is not None and parameter(field) in data:
                    # An exact number or date (the API's `custom.<key>=`); no input on the page.
                    self.fields[parameter(field)] = _bound_field(field, "")

    def conditions(self) -> tuple[Condition, ...]:
        """The conditions of the valid, non-empty inputs."""
        self.is_valid()
        found = []
        for field in self.custom_fields:
            for name, operator in (
                (parameter(field), _operator(field)),
                *((parameter(field, bound), bound) for bound in BOUNDS),
            ):
                value = self.cleaned_data.get(name)
                if value in (None, ""):
                    continue
                found.append(
                    Condition(
                        field.key, field.kind, operator, _condition_value(field, value), field.pk
                    )
                )
        return tuple(found)

    def groups(self) -> list[tuple[CustomField, list]]:
        """Each field with its bound inputs, for a template."""
        groups = []
        for field in self.custom_fields:
            names = (
                [parameter(field)]
                if field.kind in (CustomField.Kind.CHOICE, CustomField.Kind.TEXT)
                else [parameter(field, bound) for bound in BOUNDS]
            )
            groups.append((field, [self[name] for name in names]))
        return groups


def _bound_field(field: CustomField, bound: str) -> forms.Field:
    label = {"min": _("%(field)s from"), "max": _("%(field)s to"), "": "%(field)s"}[bound] % {
        "field": field.label
    }
    if field.kind == CustomField.Kind.NUMBER:
        return DecimalInputField(label=label, required=False, validators=[values.check_number])
    return forms.DateField(label=label, required=False, widget=DateInput())


def _operator(field: CustomField) -> str:
    return "contains" if field.kind == CustomField.Kind.TEXT else "eq"


def _condition_value(field: CustomField, value: Any) -> Any:
    if field.kind == CustomField.Kind.DATE:
        return value.isoformat()
    if field.kind == CustomField.Kind.TEXT:
        return str(value).strip()
    return value


def unknown_parameters(params, fields: list[CustomField]) -> list[str]:
    """`custom.…` parameters naming no field (or no bound it has): the API refuses them."""
    known = {parameter(field) for field in fields}
    known |= {
        parameter(field, bound)
        for field in fields
        if field.kind in (CustomField.Kind.NUMBER, CustomField.Kind.DATE)
        for bound in BOUNDS
    }
    return sorted(name for name in params if name.startswith(PREFIX) and name not in known)


def list_filter(record_type: str, data) -> CustomFilterForm:
    """The filter inputs of a record type's list: its active fields marked for lists."""
    from obieg.customfields import selectors

    fields = selectors.list_fields(selectors.active_fields(record_type))
    return CustomFilterForm(data, fields=fields)
