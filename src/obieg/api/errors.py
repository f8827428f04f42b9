"""Domain errors rendered as API responses: field errors with 4xx, never 500."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from obieg.core.errors import ApplicationError
from obieg.core.records import validation_error_to_application_error


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = validation_error_to_application_error(exc)
    if isinstance(exc, ApplicationError):
        body = dict(exc.field_errors) if exc.field_errors else {}
        body["detail"] = exc.message
        return Response(body, status=exc.status_code or status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
