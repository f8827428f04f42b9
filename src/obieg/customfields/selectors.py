"""Reads of custom field definitions."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from obieg.customfields.models import CustomField


def active_fields(record_type: str) -> list[CustomField]:
    """The fields records of this type show and take, in the administrator's order (one query)."""
    return list(CustomField.objects.filter(record_type=record_type, active=True))


def active_fields_of(*record_types: str) -> dict[str, list[CustomField]]:
    """The active fields of several record types at once (one query for a page showing both)."""
    found: dict[str, list[CustomField]] = {record_type: [] for record_type in record_types}
    for field in CustomField.objects.filter(record_type__in=record_types, active=True):
        found[field.record_type].append(field)
    return found


def list_fields(fields: list[CustomField]) -> list[CustomField]:
    """Of `fields`, those shown as list columns and filters."""
    return [field for field in fields if field.in_list]


def all_fields(record_type: str = "") -> QuerySet:
    """Every definition, deactivated ones included (the administrator's page)."""
    fields = CustomField.objects.all()
    return fields.filter(record_type=record_type) if record_type else fields


def field_get(pk) -> CustomField:
    return get_object_or_404(CustomField, pk=pk)
