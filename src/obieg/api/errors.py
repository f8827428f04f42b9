"""Every refusal under /api/ is one JSON body (`ErrorSerializer`): 4xx with a reason, never 500.

`exception_handler` renders domain errors (ApplicationError and Django's
ValidationError) and DRF's own (validation, authentication, 404, 405, 415 …)
the same way: always a `detail`, field errors under the fields' names, and
always JSON, even from views that otherwise send PDF or XML. `not_found`
answers for any path under /api/ that names no endpoint, so a typo or a
malformed id is a JSON 404 too rather than Django's HTML page.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from obieg.core.errors import ApplicationError
from obieg.core.records import validation_error_to_application_error

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = validation_error_to_application_error(exc)
    if isinstance(exc, ApplicationError):
        response = Response(_refusal(exc), status=exc.status_code or status.HTTP_400_BAD_REQUEST)
    else:
        response = drf_exception_handler(exc, context)
        if response is None:
            return None  # not a refusal: a real server error, logged as one
        response.data = _with_detail(response.data)
    _answer_in_json(context.get("request"))
    return response


def _refusal(exc: ApplicationError) -> dict:
    body = dict(exc.field_errors)
    # Model-wide errors go under the key serializers use for them.
    if NON_FIELD_ERRORS in body:
        body[NON_FIELD] = body.pop(NON_FIELD_ERRORS)
    body["detail"] = exc.message
    conflict = getattr(exc, "conflict", None)
    if conflict is not None:
        body["conflict"] = conflict
    return body


def _with_detail(data) -> dict:
    """DRF's bodies in our shape: a field-error list or map gains the `detail` clients read."""
    if isinstance(data, list):
        return {"detail": " ".join(str(message) for message in data), NON_FIELD: data}
    if not isinstance(data, dict):
        return {"detail": str(data)}
    detail = data.get("detail")
    if isinstance(detail, list):
        data["detail"] = " ".join(str(message) for message in detail)
    elif detail is None:
        whole = data.get(NON_FIELD)
        data["detail"] = (
            " ".join(str(message) for message in whole)
            if isinstance(whole, list) and whole
            else _("Please correct the marked fields.")
        )
    return data


def _answer_in_json(request) -> None:
    """Errors of file views (PDF, XML) are JSON: a refusal is not a file."""
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is None or isinstance(renderer, JSONRenderer | BrowsableAPIRenderer):
        return
    request.accepted_renderer = JSONRenderer()
    request.accepted_media_type = JSONRenderer.media_type


@csrf_exempt  # no state to protect, and a POST to a wrong path should read 404, not 403
def not_found(request):
    """Any other path under /api/: a JSON 404, or a redirect when only the slash is missing."""
    with_slash = request.path + "/"
    if not request.path.endswith("/") and _is_endpoint(with_slash):
        if request.method in ("GET", "HEAD"):
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(with_slash + (f"?{query}" if query else ""))
        detail = _("Not found. API paths end with a slash: %(path)s") % {"path": with_slash}
    else:
        detail = str(NotFound.default_detail)
    return JsonResponse({"detail": detail}, status=status.HTTP_404_NOT_FOUND)


def _is_endpoint(path: str) -> bool:
    try:
        return resolve(path).func is not not_found
    except Resolver404:
        return False
