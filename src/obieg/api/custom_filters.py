"""`?custom.<key>=…` filters of the account, contact, lead and opportunity lists.

The same parameters and conditions as the pages' lists (obieg.customfields.filtering),
over every active field of the view's record type. An unknown field, a bound a
field has not, or a value that does not read is a 400 naming the parameter.
"""

from __future__ import annotations

from django.db import DatabaseError
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.filters import BaseFilterBackend

from obieg.customfields import filtering, selectors
from obieg.customfields.models import CustomField


class CustomFieldFilter(BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        record_type = getattr(view, "custom_record_type", "")
        params = [name for name in request.query_params if name.startswith(filtering.PREFIX)]
        if not record_type or not params:
            return queryset  # no definitions read for a list without custom filters
        fields = selectors.active_fields(record_type)
        unknown = filtering.unknown_parameters(params, fields)
        if unknown:
            raise serializers.ValidationError(
                {name: [_("There is no such custom field filter.")] for name in unknown}
            )
        form = filtering.CustomFilterForm(request.query_params, fields=fields)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        return filtering.apply(queryset, form.conditions())

    def get_schema_operation_parameters(self, view):
        record_type = getattr(view, "custom_record_type", "")
        try:
            fields = selectors.active_fields(record_type) if record_type else []
        except DatabaseError:  # the schema printed before the database is set up
            return []
        parameters = []
        for field in fields:
            if field.kind == CustomField.Kind.CHOICE:
                schema = {"type": "string", "enum": [c["value"] for c in field.choices]}
                parameters.append(_parameter(filtering.parameter(field), schema, field.label))
            elif field.kind == CustomField.Kind.TEXT:
                schema = {"type": "string", "pattern": r"^[^\u0000]*$"}
                parameters.append(
                    _parameter(filtering.parameter(field), schema, f"{field.label} (contains)")
                )
            else:
                schema = (
                    {"type": "string", "format": "date"}
                    if field.kind == CustomField.Kind.DATE
                    else {"type": "string", "pattern": r"^-?\d{1,15}([.,]\d{1,6})?$"}
                )
                parameters.append(_parameter(filtering.parameter(field), schema, field.label))
                for bound in filtering.BOUNDS:
                    label = f"{field.label} ({'at least' if bound == 'min' else 'at most'})"
                    parameters.append(_parameter(filtering.parameter(field, bound), schema, label))
        return parameters


def _parameter(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "required": False,
        "in": "query",
        "description": str(description),
        "schema": schema,
    }
