"""The public lead form: too fast is explained, what was typed is kept; only leads count."""

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from obieg.crm.models import Lead
from obieg.solutions.pv_installation import public_lead
from obieg.solutions.pv_installation.models import PVProject

FORM = {
    "contact_name": "Ewa Nowak",
    "email": "ewa@example.com",
    "phone": "600 100 200",
    "postal_code": "31-100",
    "city": "Kraków",
    "site_address": "ul. Polna 3",
    "description": "Dach garażu, ok. 40 m²",
    "consent": "on",
}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def post(client, **changes):
    data = {**FORM, "rendered": public_lead.rendered_stamp(), **changes}
    return client.post(reverse("pv:lead_form"), data)


def test_a_form_sent_too_fast_says_why_and_keeps_what_was_typed(client, org, settings, monkeypatch):
    settings.PV_LEAD_MIN_FILL_SECONDS = 30
    stamp = public_lead.rendered_stamp()
    refused = client.post(reverse("pv:lead_form"), {**FORM, "rendered": stamp})
    page = refused.content.decode()
    assert refused.status_code == 200 and not Lead.objects.exists()
    assert "faster than a person" in page or "szybciej" in page
    for name in ("contact_name", "email", "postal_code", "city", "site_address"):
        assert re.search(rf'name="{name}"[^>]*value="{re.escape(FORM[name])}"', page), name
    assert FORM["description"] in page and re.search(r'name="consent"[^>]*checked', page)
    # The time it was first shown stays: a moment later the same page goes through.
    kept = re.search(r'name="rendered" value="([^"]+)"', page).group(1)
    assert kept == stamp
    later = public_lead.time.time() + 31
    monkeypatch.setattr(public_lead.time, "time", lambda: later)
    accepted = client.post(reverse("pv:lead_form"), {**FORM, "rendered": kept})
    assert "Thank you" in accepted.content.decode() or "Dziękujemy" in accepted.content.decode()
    assert PVProject.objects.get().lead.description == FORM["description"]


def test_a_forged_stamp_is_refused_without_a_hint(client, org):
    page = post(client, rendered="123:forged").content.decode()
    assert not Lead.objects.exists() and "faster than a person" not in page


def test_corrections_do_not_count_against_the_limit_only_leads_do(client, org, settings):
    settings.PV_LEAD_RATE_LIMIT = (2, 60)
    for _typo in range(3):
        assert post(client, postal_code="31100").status_code == 200
    assert post(client).status_code == 200
    assert post(client).status_code == 200
    assert post(client).status_code == 429
    assert PVProject.objects.count() == 2
    # The API shares the address's limit.
    api = client.post(
        reverse("pv:lead_api"),
        json.dumps({**FORM, "consent": True}),
        content_type="application/json",
    )
    assert api.status_code == 429


def test_with_no_salesperson_yet_the_lead_is_kept_and_the_customer_thanked(client, db):
    response = post(client)
    assert response.status_code == 200 and 'id="thanks"' in response.content.decode()
    assert Lead.objects.get().contact_name == "Ewa Nowak" and not PVProject.objects.exists()
