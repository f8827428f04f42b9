"""The router every API module registers its viewsets with: record ids typed in the URL conf.

A record id in a path is `<int64:…>`: digits that fit the 64-bit primary-key
column. Anything else (`abc`, `1.5`, a 30-digit number) matches no route, so it
is the JSON 404 of `obieg.api.errors.not_found` rather than a lookup that
could overflow the database; and the schema types the parameter as an
integer (`obieg.api.schema`), from the same converter.
"""

from __future__ import annotations

from django.urls import register_converter
from rest_framework.routers import DefaultRouter

ID_CONVERTER = "int64"
MAX_ID = 2**63 - 1


class Int64Converter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("beyond a 64-bit id")  # Django reads this as "no match"
        return number

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(Int64Converter, ID_CONVERTER)


class RecordRouter(DefaultRouter):
    """A DefaultRouter whose detail routes take `<int64:pk>` (Django path syntax).

    No `.json`-style suffix routes: the Accept header (or `?format=`) chooses
    the format, and each path is in the schema once.
    """

    include_format_suffixes = False

    def __init__(self, **kwargs):
        super().__init__(use_regex_path=False, **kwargs)
        self._default_value_pattern = ID_CONVERTER
