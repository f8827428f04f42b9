"""The log-in page's answer when django-axes has locked a user name or an address."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext

LOCKED_OUT_STATUS = 429


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return ngettext(
        "Too many failed log-in attempts. Try again in %(minutes)d minute "
        "or ask an administrator to unlock the account.",
        "Too many failed log-in attempts. Try again in %(minutes)d minutes "
        "or ask an administrator to unlock the account.",
        minutes,
    ) % {"minutes": minutes}


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the log-in form again, with why it refuses, as 429."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "next": request.POST.get("next", request.GET.get("next", "")),
        "lockout_message": lockout_message(),
    }
    return render(request, "registration/login.html", context, status=LOCKED_OUT_STATUS)
