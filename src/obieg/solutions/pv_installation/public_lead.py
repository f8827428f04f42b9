"""The public "I want a PV installation" form: validated, rate-limited, guarded against spam.

Spam guards: a hidden field people never fill (bots do), a signed render time
(a form sent within seconds of showing it is a bot), and a per-IP limit kept
in Django's cache; over the limit the answer is 429. Only leads taken count
against the limit: a person correcting a typo is not a flood. A form sent too
fast says so and keeps what was typed, and the time it was first shown, so
sending it again a moment later goes through.
"""

from __future__ import annotations

import logging
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from obieg.core.client_ip import client_ip as request_client_ip
from obieg.core.errors import ApplicationError
from obieg.crm import services as crm
from obieg.crm.models import Lead
from obieg.solutions.pv_installation import services

SALT = "obieg.pv.lead-form"
logger = logging.getLogger(__name__)


def min_fill_seconds() -> float:
    return float(getattr(settings, "PV_LEAD_MIN_FILL_SECONDS", 3))


def rate_limit() -> tuple[int, int]:
    """(requests, seconds) allowed per IP address."""
    return tuple(getattr(settings, "PV_LEAD_RATE_LIMIT", (5, 3600)))


class LeadForm(forms.Form):
    contact_name = forms.CharField(label=_("Name and surname"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.RegexField(label=_("Phone"), required=False, regex=r"^\+?[0-9 ()-]{7,20}$")
    postal_code = forms.RegexField(label=_("Postal code"), regex=r"^\d{2}-\d{3}$")
    city = forms.CharField(label=_("City"), max_length=100)
    site_address = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    description = forms.CharField(
        label=_("What do you need?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(label=_("I agree to be contacted about my inquiry."))
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # the honeypot
    rendered = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("The form could not be sent."), code="spam")
        shown = shown_at(data.get("rendered", ""))
        if shown is None:
            raise forms.ValidationError(
                _("The form could not be sent; please try again."), code="spam"
            )
        if time.time() - shown < min_fill_seconds():
            raise forms.ValidationError(
                _(
                    "The form was sent %(seconds)s seconds after it opened, faster than a person "
                    "fills it in, so we took it for an automated one. Please check your details "
                    "and send it again."
                ),
                params={"seconds": f"{max(time.time() - shown, 0):.0f}"},
                code="too_fast",
            )
        if not data.get("email") and not data.get("phone"):
            raise forms.ValidationError(_("Give an e-mail address or a phone number."))
        return data


def rendered_stamp() -> str:
    return signing.Signer(salt=SALT).sign(f"{time.time():.3f}")


def shown_at(stamp: str) -> float | None:
    """When the form with this signed stamp was first shown; None for a forged one."""
    try:
        return float(signing.Signer(salt=SALT).unsign(stamp))
    except (signing.BadSignature, ValueError):
        return None


def client_ip(request) -> str:
    # Behind the reverse proxy REMOTE_ADDR is the proxy: one counter for every visitor.
    return request_client_ip(request) or "unknown"


def _limit_key(request) -> str:
    return f"pv-lead-form:{client_ip(request)}"


def over_limit(request) -> bool:
    """True once the request's address has sent as many leads as the window allows."""
    allowed, _seconds = rate_limit()
    return (cache.get(_limit_key(request)) or 0) >= allowed


def count_lead(request) -> None:
    """A lead was taken from the request's address: it counts against the limit."""
    _allowed, seconds = rate_limit()
    key = _limit_key(request)
    cache.add(key, 0, timeout=seconds)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)


def submit_lead(data: dict, *, source: str = Lead.Source.WEB_FORM, request=None):
    """Create the lead and start its PV case (the web form and `api.py` both come here).

    The lead is committed on its own first: whatever happens to the process
    after it, the customer's submission is kept. With `request`, the lead
    counts against its address's limit.
    """
    lead = crm.lead_create(
        actor=None,
        data={
            "source": source,
            "contact_name": data["contact_name"],
            "email": data.get("email", ""),
            "phone": data.get("phone", ""),
            "postal_code": data["postal_code"],
            "city": data["city"],
            "description": data.get("description", ""),
        },
    )
    if request is not None:
        count_lead(request)
    return services.project_start(actor=None, lead=lead, site_address=data.get("site_address", ""))


@require_http_methods(["GET", "POST"])
def lead_form(request):
    if request.method == "POST":
        if over_limit(request):
            return HttpResponse(_("Too many requests; please try again later."), status=429)
        form = LeadForm(request.POST)
        if form.is_valid():
            try:
                submit_lead(form.cleaned_data, request=request)
            except ApplicationError as refusal:
                # The lead was stored first and stays among the leads (nobody to take it yet,
                # say): the customer's part is done, an administrator assigns it.
                logger.warning("A web lead waits without a case: %s", refusal.message)
            return render(request, "pv_installation/lead_thanks.html")
        # Shown again with what was typed; the time it first opened stays (a forged one is
        # replaced), so sending it again once the person has checked it goes through.
        form.data = form.data.copy()
        if shown_at(form.data.get("rendered", "")) is None:
            form.data["rendered"] = rendered_stamp()
    else:
        form = LeadForm(initial={"rendered": rendered_stamp()})
    return render(request, "pv_installation/lead_form.html", {"form": form})
