"""Domain errors rendered as API responses: field errors with 4xx, never 500."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from obieg.core.errors import ApplicationError
from obieg.core.records import validation_error_to_application_error


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = validation_error_to_application_error(exc)
    if isinstance(exc, ApplicationError):
        body = dict(exc.field_errors)
        # Model-wide errors go under the key serializers use for them.
        if NON_FIELD_ERRORS in body:
            body[api_settings.NON_FIELD_ERRORS_KEY] = body.pop(NON_FIELD_ERRORS)
        body["detail"] = exc.message
        return Response(body, status=exc.status_code or status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
