"""The OpenAPI schema says what the API does, refusals included (REST_FRAMEWORK's schema class).

drf-spectacular describes each operation's happy path. This AutoSchema adds
what our own mechanisms do on every operation, read from the classes that do
it, so a new endpoint is described by being built the usual way:

- the refusals, all one `Error` body (`obieg.api.errors`): 400 for input,
  401/403 where users must sign in, 404 for a path id or a cursor, 409 on
  writes, 415 where there is a body, 428 on conditional updates;
- the revision rule of PUT/PATCH (`obieg.api.concurrency`): `revision`
  required in the body, `If-Match` accepted instead, `ETag` sent back;
- record ids in paths as integers (the `int64` converter of `routers`);
- an empty query parameter filters nothing (`allowEmptyValue`);
- a field that reads a nullable column or relation is nullable, however it
  was declared;
- request bodies are JSON where the view reads JSON (the form encodings the
  browsable API posts cannot say `null` or nest a list), else multipart;
- text never holds NUL (DRF and Django forms refuse it), and a decimal
  string is a number within the field's digits, not "", "-" or ".".
"""

from __future__ import annotations

import re

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.relations import ManyRelatedField

from obieg.api import concurrency
from obieg.api.routers import ID_CONVERTER, MAX_ID
from obieg.api.serializers.errors import ErrorSerializer
from obieg.api.views.base import RevisionETagMixin, UpdateMixin

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
NO_NUL = r"^[^\u0000]*$"
REFUSALS = {
    "400": "Invalid input: `detail`, and messages under the fields concerned. Nothing changed.",
    "401": "Not signed in: send `Authorization: Token <key>` or a session cookie.",
    "403": "Signed in, but your roles do not allow this. Nothing changed.",
    "404": "No such record among those you may see (or a malformed id or cursor).",
    "409": "Refused by the record's state, or the revision sent is stale: `conflict` names "
    "who changed it. Nothing changed.",
    "415": "The body's Content-Type is not one this operation reads.",
    "428": "The update does not say which revision it was made against: send `revision` "
    "or `If-Match`. Nothing changed.",
}


class ObiegAutoSchema(AutoSchema):
    # --- what the operation answers ---------------------------------------------------

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._refusal_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=REFUSALS[code]),
                    code,
                    media_types=["application/json"],
                    direction=direction,
                )
        return responses

    def _refusal_codes(self) -> list[str]:
        parameters = self._get_parameters()
        has_body = self.method in ("POST", "PUT", "PATCH") and self._get_request_body()
        codes = []
        if self.method in UNSAFE or any(p["in"] == "query" for p in parameters):
            codes.append("400")
        if not self._is_public():
            codes += ["401", "403"]
        if any(p["in"] == "path" or p["name"] == "cursor" for p in parameters):
            codes.append("404")
        if self.method in UNSAFE:
            codes.append("409")
        if has_body:
            codes.append("415")
        if self._is_conditional_update():
            codes.append("428")
        return codes

    def _is_public(self) -> bool:
        return any(issubclass(permission, AllowAny) for permission in self.view.permission_classes)

    # --- the revision rule ---------------------------------------------------------------

    def _is_conditional_update(self) -> bool:
        return self.method in ("PUT", "PATCH") and isinstance(self.view, UpdateMixin)

    def _sends_etag(self) -> bool:
        if not isinstance(self.view, RevisionETagMixin):
            return False
        if getattr(self.view, "action", None) not in RevisionETagMixin.etag_actions:
            return False
        serializer = self.get_response_serializers()
        if isinstance(serializer, dict):  # @extend_schema(responses={201: …})
            serializer = serializer.get(201) or serializer.get(200)
        serializer = force_instance(serializer)
        return isinstance(serializer, serializers.Serializer) and "revision" in serializer.fields

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._is_conditional_update():
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    pattern=concurrency.IF_MATCH_PATTERN,
                    description='The record\'s ETag as you read it (`"3"`), instead of '
                    "`revision` in the body; if both are sent, both must be current.",
                )
            )
        if self._sends_etag():
            parameters.append(
                OpenApiParameter(
                    "ETag",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    response=[200, 201],
                    required=True,
                    description='The record\'s revision as an entity tag (`"3"`), for If-Match.',
                )
            )
        return parameters

    def _get_request_for_media_type(self, serializer, direction="request"):
        schema, required = super()._get_request_for_media_type(serializer, direction)
        if self._is_conditional_update() and schema is not None:
            # The same component serves POST, where no revision is needed.
            schema, required = {"allOf": [schema], "required": ["revision"]}, True
        return schema, required

    # --- parameters ------------------------------------------------------------------------

    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        typed = set(re.findall(rf"<{ID_CONVERTER}:(\w+)>", self.path_regex))
        if "pk" in typed:
            typed.add("id")  # DRF's schema names `pk` after the model's field
        for parameter in parameters:
            if parameter["name"] in typed:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        return parameters

    def _get_filter_parameters(self):
        return _empty_allowed(super()._get_filter_parameters())

    def _get_pagination_parameters(self):
        return _empty_allowed(super()._get_pagination_parameters())

    # --- fields ----------------------------------------------------------------------------

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if direction == "response" and not field.allow_null and _reads_nullable(field):
            field.allow_null = True  # a schema-time copy of the serializer's field
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request" and isinstance(schema, dict):
            if isinstance(field, serializers.DecimalField) and "pattern" in schema:
                schema["pattern"] = _decimal_pattern(field)
            elif schema.get("type") == "string" and not {"pattern", "enum", "format"} & set(schema):
                schema["pattern"] = NO_NUL
        return schema

    def map_parsers(self):
        media_types = super().map_parsers()
        for preferred in ("application/json", "multipart/form-data"):
            if preferred in media_types:
                return [preferred]
        return media_types


def _empty_allowed(parameters: list[dict]) -> list[dict]:
    """Filters, search, ordering and paging read an empty value as "not given"."""
    for parameter in parameters:
        if parameter.get("in") == "query" and not parameter.get("required"):
            parameter["allowEmptyValue"] = True
            schema = parameter.get("schema", {})
            # Filters are form fields, which refuse NUL; `ordering` ignores what it cannot use.
            textual = schema.get("type") == "string" and parameter["name"] != "ordering"
            if textual and not {"pattern", "enum", "format"} & set(schema):
                schema["pattern"] = NO_NUL
    return parameters


def _decimal_pattern(field: serializers.DecimalField) -> str:
    """Digits the field accepts: at least one, within max_digits/decimal_places."""
    minimum = field.min_value
    sign = "" if minimum is not None and minimum >= 0 else "-?"
    whole, places = field.max_whole_digits, field.decimal_places
    fraction = rf"\.\d{{1,{places}}}" if places else ""
    if whole == 0:
        number = rf"0?{fraction}" if fraction else "0"
    elif fraction:
        number = rf"(?:\d{{1,{whole}}}(?:{fraction})?|{fraction})"
    else:
        number = rf"\d{{1,{whole}}}"
    return rf"^{sign}{number}$"


def _reads_nullable(field) -> bool:
    """Whether the field can render null: a nullable column, a missing reverse one-to-one …"""
    if isinstance(
        field,
        serializers.SerializerMethodField
        | serializers.ListSerializer
        | ManyRelatedField
        | serializers.ListField,
    ):
        return False
    if field.default is None:
        return True
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    attrs = getattr(field, "source_attrs", None)
    if model is None or not attrs:
        return False
    for attr in attrs:
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False
        # A reverse relation's `null` is True: a reverse one-to-one may be missing.
        if model_field.null:
            return True
        model = model_field.related_model
        if model is None:
            return False
    return False
