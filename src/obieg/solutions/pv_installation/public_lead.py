"""The public "I want a PV installation" form: validated, rate-limited, guarded against spam.

Spam guards: a hidden field people never fill (bots do), a signed render time
(a form sent within seconds of showing it is a bot), and a per-IP limit kept
in Django's cache; over the limit the answer is 429.
"""

from __future__ import annotations

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
from obieg.crm import services as crm
from obieg.crm.models import Lead
from obieg.solutions.pv_installation import services

SALT = "obieg.pv.lead-form"


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
        try:
            shown = signing.Signer(salt=SALT).unsign(data.get("rendered", ""))
            too_fast = time.time() - float(shown) < min_fill_seconds()
        except (signing.BadSignature, ValueError):
            too_fast = True
        if too_fast:
            raise forms.ValidationError(
                _("The form could not be sent; please try again."), code="spam"
            )
        if not data.get("email") and not data.get("phone"):
            raise forms.ValidationError(_("Give an e-mail address or a phone number."))
        return data


def rendered_stamp() -> str:
    return signing.Signer(salt=SALT).sign(f"{time.time():.3f}")


def client_ip(request) -> str:
    # Behind the reverse proxy REMOTE_ADDR is the proxy: one counter for every visitor.
    return request_client_ip(request) or "unknown"


def over_limit(request) -> bool:
    """Counts this request against its IP; True once the limit is passed."""
    allowed, seconds = rate_limit()
    key = f"pv-lead-form:{client_ip(request)}"
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count > allowed


def submit_lead(data: dict, *, source: str = Lead.Source.WEB_FORM):
    """Create the lead and start its PV case (the web form and `api.py` both come here).

    The lead is committed on its own first: whatever happens to the process
    after it, the customer's submission is kept.
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
    return services.project_start(actor=None, lead=lead, site_address=data.get("site_address", ""))


@require_http_methods(["GET", "POST"])
def lead_form(request):
    if request.method == "POST":
        if over_limit(request):
            return HttpResponse(_("Too many requests; please try again later."), status=429)
        form = LeadForm(request.POST)
        if form.is_valid():
            submit_lead(form.cleaned_data)
            return render(request, "pv_installation/lead_thanks.html")
    else:
        form = LeadForm(initial={"rendered": rendered_stamp()})
    form.data = form.data.copy() if form.is_bound else form.data
    if form.is_bound:
        form.data["rendered"] = rendered_stamp()
    return render(request, "pv_installation/lead_form.html", {"form": form})
