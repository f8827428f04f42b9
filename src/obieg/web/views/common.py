"""What every CRM page does the same way: run a service for a form, refuse politely."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from obieg.core import access
from obieg.core.errors import ApplicationError, Conflict, PermissionDenied

T = TypeVar("T")


def conflict_message() -> str:
    return _(
        "Someone else changed this record while you were editing it. "
        "Nothing was saved: reload the page to see their changes, then edit again."
    )


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def add_service_error(form: forms.BaseForm, error: ApplicationError) -> None:
    """Show a service's refusal beside the fields it names, else above the form."""
    if not error.field_errors:
        form.add_error(None, error.message)
        return
    for field, messages in error.field_errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


def submit(form: forms.BaseForm, write: Callable[[dict, int | None], T]) -> tuple[T | None, int]:
    """Call `write(data, revision)` with a valid form's values.

    Returns the written record, or None and the status to re-render the form
    with: the service's refusal is shown on the form, nothing was saved.
    """
    data = dict(form.cleaned_data)
    revision = data.pop("revision", None)
    try:
        return write(data, revision), 200
    except Conflict:
        form.add_error(None, conflict_message())
        return None, Conflict.status_code
    except ApplicationError as error:
        add_service_error(form, error)
        return None, error.status_code if isinstance(error, PermissionDenied) else 200


def submit_posted(
    request: HttpRequest, form: forms.BaseForm, write: Callable[[dict, int | None], T]
) -> tuple[T | None, int]:
    """`submit` the form when it was posted and is valid.

    Returns the written record, or None and the status to render the form with
    (200 for a GET or invalid input: nothing was written).
    """
    if request.method != "POST" or not form.is_valid():
        return None, 200
    return submit(form, write)


def refuse(
    request: HttpRequest, message: str, *, status: int, back_url: str | None = None
) -> HttpResponse:
    """A page saying why the request was refused, with its 4xx status."""
    return render(
        request,
        "web/includes/refusal.html",
        {"message": message, "back_url": back_url or reverse("account_list")},
        status=status,
    )


def refuse_unless_can_change(request: HttpRequest, instance) -> HttpResponse | None:
    """A 403 page for someone who may see `instance` but not change it, else None."""
    if access.can_change(request.user, instance):
        return None
    return refuse(
        request,
        _("You may view this record but not change it."),
        status=PermissionDenied.status_code,
    )
