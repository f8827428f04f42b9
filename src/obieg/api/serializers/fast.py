"""Serializer output without DRF's per-field machinery, to the same JSON.

DRF renders each field of each row through `get_attribute` (a walk over
the source, callable checks, a mock object for a related id) and
`to_representation`; on a page of 50 rows of a dozen fields that is most of
a list request's Python. `FastRepresentation` plans each serializer's
readable fields once (per serializer object, so once per list) and then
reads model columns directly:

- a model column, property or argument-free method (through foreign keys
  that are never empty): the attribute, then the field's own
  `to_representation` (DRF's, so numbers, choices and dates come out as
  before); a date-time in the current time zone without DRF's per-value
  time-zone lookup;
- a related record shown by its id (PrimaryKeyRelatedField): the
  foreign key's `<name>_id`, as DRF's pk-only optimisation does;
- a SerializerMethodField: the method;
- anything else (`*`, an optional foreign key on the way, a nested
  serializer, a field with its own `get_attribute`), or a read that fails:
  DRF's own path, unchanged.

The schema is that of the serializer classes, which keep their fields.
`FieldsBuiltOnce` (part of FastRepresentation) builds a ModelSerializer's
fields once per class instead of once per request.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable
from functools import cached_property
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from rest_framework import ISO_8601, fields, relations, serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings

_DIRECT, _METHOD, _DRF = 0, 1, 2


def _is_plain_id(field) -> bool:
    """A PrimaryKeyRelatedField that DRF renders as the related row's id, as it is."""
    return (
        isinstance(field, relations.PrimaryKeyRelatedField)
        and type(field).get_attribute is relations.RelatedField.get_attribute
        and type(field).to_representation is relations.PrimaryKeyRelatedField.to_representation
        and field.pk_field is None
    )


def _simple_method(function) -> bool:
    """A function DRF calls for its value: one that takes nothing but `self`."""
    parameters = list(inspect.signature(function).parameters.values())[1:]
    return all(
        parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
        or parameter.default is not parameter.empty
        for parameter in parameters
    )


def _reader(serializer, field) -> Callable[[Any], Any] | None:
    """A function reading `field`'s value off a row, where DRF would read just that.

    The source may lead through foreign keys that are never empty (a work
    item's case's process); it ends in a column, a property or a method
    that takes no arguments (`__str__`). A related record shown by its id
    reads the foreign key's `<name>_id`, as DRF's pk-only optimisation does.
    """
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    attrs = field.source_attrs
    if model is None or not attrs:
        return None
    if _is_plain_id(field):
        if len(attrs) != 1:
            return None
        try:
            relation = model._meta.get_field(attrs[0])
        except FieldDoesNotExist:
            return None
        if not (relation.concrete and (relation.many_to_one or relation.one_to_one)):
            return None
        return attrgetter(relation.attname)
    if type(field).get_attribute is not fields.Field.get_attribute:
        return None
    path = []
    for name in attrs[:-1]:
        try:
            relation = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        # An empty foreign key on the way is DRF's to handle (a default, or no key).
        if not relation.concrete or not (relation.many_to_one or relation.one_to_one):
            return None
        if relation.null:
            return None
        path.append(name)
        model = relation.related_model
    last = attrs[-1]
    try:
        column = model._meta.get_field(last)
    except FieldDoesNotExist:
        descriptor = inspect.getattr_static(model, last, None)
        if isinstance(descriptor, property | cached_property):
            return attrgetter(".".join([*path, last]))
        if inspect.isfunction(descriptor) and _simple_method(descriptor):
            method = attrgetter(".".join([*path, last]))
            return lambda row: method(row)()
        return None
    if not column.concrete or column.is_relation:
        return None
    return attrgetter(".".join([*path, column.attname]))


def _datetime_renderer(field) -> Callable[[Any], Any] | None:
    """DRF's DateTimeField output with the time zone looked up once, not per value."""
    if type(field).to_representation is not fields.DateTimeField.to_representation:
        return None
    output = getattr(field, "format", api_settings.DATETIME_FORMAT)
    if output is None or output.lower() != ISO_8601:
        return None
    if hasattr(field, "timezone") or not settings.USE_TZ:
        return None
    zone = timezone.get_current_timezone()
    slow = field.to_representation

    def render(value):
        if isinstance(value, str) or value.tzinfo is None:
            return slow(value)
        try:
            text = value.astimezone(zone).isoformat()
        except OverflowError:
            return slow(value)  # DRF's error
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return render


def _plan(serializer) -> list[tuple[int, str, Any, Any, Any]]:
    plan: list[tuple[int, str, Any, Any, Any]] = []
    for field in serializer._readable_fields:
        name = field.field_name
        if isinstance(field, serializers.SerializerMethodField) and (
            type(field).to_representation is serializers.SerializerMethodField.to_representation
        ):
            plan.append((_METHOD, name, getattr(serializer, field.method_name), None, field))
            continue
        read = _reader(serializer, field)
        if read is None:
            plan.append((_DRF, name, None, None, field))
            continue
        if _is_plain_id(field):
            render = None  # the id as it is
        else:
            render = _datetime_renderer(field) or field.to_representation
        plan.append((_DIRECT, name, read, render, field))
    return plan


def _drf_value(field, instance, row: dict[str, Any]) -> None:
    """DRF's own way (Serializer.to_representation), for one field."""
    try:
        attribute = field.get_attribute(instance)
    except SkipField:
        return
    check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
    row[field.field_name] = None if check is None else field.to_representation(attribute)


# The mixins carry comments, not docstrings: drf-spectacular describes a
# serializer's schema component by the first docstring of its classes.


# Mixin for a ModelSerializer: its fields built once per class, then copied.
# ModelSerializer builds every field from the model on each instantiation
# (about 1 ms for a dozen fields, a fifth of a small list request); what it
# builds depends on the class alone, so it is built once and deep-copied, as
# DRF copies the declared fields itself.
class FieldsBuiltOnce:
    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()
            cls._fields_built_once = built
        return copy.deepcopy(built)


# Mixin for a Serializer: the same `to_representation`, planned once per serializer.
class FastRepresentation(FieldsBuiltOnce):
    def to_representation(self, instance):
        plan = self.__dict__.get("_fast_plan")
        if plan is None:
            plan = self.__dict__["_fast_plan"] = _plan(self)
        row: dict[str, Any] = {}
        for kind, name, read, render, field in plan:
            if kind == _DIRECT:
                try:
                    value = read(instance)
                except Exception:
                    # A related row gone, a property failing: DRF decides what that gives.
                    _drf_value(field, instance, row)
                    continue
                row[name] = value if value is None or render is None else render(value)
            elif kind == _METHOD:
                row[name] = read(instance)
            else:
                _drf_value(field, instance, row)
        return row


def url_maker(viewname: str, request, *names: str) -> Callable[..., str]:
    """`reverse(viewname, kwargs=…, request=request)` for many rows, resolved once.

    The URL is reversed with distinctive placeholder numbers, which each
    call replaces by the row's values (ids and numbers: digits only, so
    nothing needs quoting).
    """
    marks = {name: str(10**17 + index) for index, name in enumerate(names)}
    template = reverse(viewname, kwargs=marks, request=request)

    def make(**values: int) -> str:
        url = template
        for name, mark in marks.items():
            url = url.replace(mark, str(int(values[name])))
        return url

    return make
