"""The duplicate check of POST /api/accounts/, /api/contacts/ and /api/leads/.

A new record that looks like records the caller can see (same NIP, REGON,
PESEL, e-mail, phone or a similar name: `crm.selectors.duplicates`) is not
created: the answer is 409 with `code: "duplicates"` and the records under
`duplicates`. Send the same request again with `?accept_duplicates=true` to
create it all the same (an import that knows its rows are distinct may send
it on every request).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse

from obieg.api.serializers.errors import ErrorSerializer
from obieg.crm.selectors.duplicates import Duplicate

ACCEPT_PARAMETER = "accept_duplicates"
_TRUE, _FALSE = ("true", "1"), ("false", "0", "")
_DETAIL_ROUTES = {
    "account": "api:account-detail",
    "contact": "api:contact-detail",
    "lead": "api:lead-detail",
}


def create_schema(serializer_class):
    """The create operation's documentation: the parameter and the 409 with duplicates."""
    return extend_schema(
        parameters=[
            OpenApiParameter(
                ACCEPT_PARAMETER,
                OpenApiTypes.BOOL,
                OpenApiParameter.QUERY,
                description="true: create the record even when it looks like existing ones "
                "(same NIP, REGON, PESEL, e-mail, phone or a similar name). Without it such a "
                "request is refused with 409 listing them under `duplicates`.",
            )
        ],
        responses={
            201: serializer_class,
            409: OpenApiResponse(
                ErrorSerializer,
                description='Likely duplicates (`code: "duplicates"`): nothing was created; '
                f"repeat with ?{ACCEPT_PARAMETER}=true to create it anyway.",
            ),
        },
    )


def accepts_duplicates(request) -> bool:
    value = request.query_params.get(ACCEPT_PARAMETER, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValidationError({ACCEPT_PARAMETER: [_("Enter true or false.")]})


class DuplicateCheckMixin:
    """POST refuses a likely duplicate with 409, unless ?accept_duplicates=true."""

    def find_duplicates(self, data) -> list[Duplicate]:
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        accept = accepts_duplicates(request)
        data = self.validated()
        data.pop("revision", None)
        if not accept and (found := self.find_duplicates(data)):
            body = {
                "detail": _(
                    "This looks like existing records; nothing was created. "
                    "Send the request again with ?%(parameter)s=true to create it anyway."
                )
                % {"parameter": ACCEPT_PARAMETER},
                "duplicates": [
                    {
                        "kind": duplicate.kind,
                        "id": duplicate.record.pk,
                        "name": str(duplicate.record),
                        "matched": list(duplicate.matched),
                        "url": reverse(
                            _DETAIL_ROUTES[duplicate.kind],
                            args=[duplicate.record.pk],
                            request=request,
                        ),
                    }
                    for duplicate in found
                ],
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        return self.respond(self.create_record(data), status.HTTP_201_CREATED)
