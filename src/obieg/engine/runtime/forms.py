"""What a person submits for a task, checked and turned into case data.

With a registered form, the data goes through the form (field errors come
back as an ApplicationError, nothing changes; a form may ask for the case's
data to check against, see `build`); the cleaned values keep
their types (Decimal, date) in the case data; a chosen record is stored
by its id. Without a form, plain JSON values are accepted as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext as _

from obieg.engine import registry
from obieg.engine.errors import ApplicationError

_PLAIN = (str, int, float, bool, type(None), Decimal, date, datetime)


def build(form_class: type[forms.Form], *, case=None, **kwargs) -> forms.Form:
    """An instance of a registered form; given the case's data when the form asks for it.

    A form whose class says `uses_case_data = True` gets `case_data=` (the
    case's data as it stands), so it can narrow its choices and check the
    submission against what the case knows, on every page and in the API alike.
    Other forms never cost the case data a read.
    """
    if case is not None and getattr(form_class, "uses_case_data", False):
        kwargs["case_data"] = dict(case.data or {})
    return form_class(**kwargs)


def clean(form_key: str, data: Mapping[str, Any], *, case=None) -> dict[str, Any]:
    form_class = registry.form_for(form_key, case=case) if form_key else None
    if form_class is None:
        return _checked_plain(data)
    form = build(form_class, case=case, data=data)
    if not form.is_valid():
        field_errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        raise ApplicationError(_("Please correct the marked fields."), field_errors=field_errors)
    return {name: _to_data(value) for name, value in form.cleaned_data.items()}


def _checked_plain(data: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise ApplicationError(_("Task data must be an object of named values."))
    bad = [key for key in data if not isinstance(key, str) or not key or key.startswith("_")]
    if bad:
        raise ApplicationError(_("Field names must not be empty or start with an underscore."))
    return {key: _to_data(value) for key, value in data.items()}


def _to_data(value: Any) -> Any:
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _to_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | models.QuerySet):
        return [_to_data(item) for item in value]
    return str(value)
