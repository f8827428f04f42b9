"""Reads of custom field definitions."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from obieg.core import compiled_once
from obieg.customfields.models import CustomField


def active_fields(record_type: str) -> list[CustomField]:
    """The fields records of this type show and take, in the administrator's order (one query)."""
    return active_fields_of(record_type)[record_type]


def active_fields_of(*record_types: str) -> dict[str, list[CustomField]]:
    """The active fields of several record types at once (one query for a page showing both).

    Every list and record page asks: the statement is compiled once per process
    for each number of types (core/compiled_once), bound with the types asked.
    """
    found: dict[str, list[CustomField]] = {record_type: [] for record_type in record_types}
    names = [f"type {number}" for number in range(len(record_types))]
    statement = compiled_once.compiled(
        ("active custom fields", len(record_types)),
        {name: _RECORD_TYPE for name in names},
        lambda given: _active([given[name] for name in names]),
    )
    if statement is None:
        fields = list(_active(record_types))
    else:
        fields = compiled_once.instances(statement, dict(zip(names, record_types, strict=True)))
    for field in fields:
        found[field.record_type].append(field)
    return found


_RECORD_TYPE = compiled_once.Value(str, CustomField._meta.get_field("record_type"))


def _active(record_types) -> QuerySet[CustomField]:
    return CustomField.objects.filter(record_type__in=record_types, active=True)


def list_fields(fields: list[CustomField]) -> list[CustomField]:
    """Of `fields`, those shown as list columns and filters."""
    return [field for field in fields if field.in_list]


def all_fields(record_type: str = "") -> QuerySet:
    """Every definition, deactivated ones included (the administrator's page)."""
    fields = CustomField.objects.all()
    return fields.filter(record_type=record_type) if record_type else fields


def field_get(pk) -> CustomField:
    return get_object_or_404(CustomField, pk=pk)
