"""The PV project list prints rows prepared in Python (pv_installation/list_rows.py).

The page is compared, for the owner and an administrator in Polish and
English, with what the per-row template it replaced drew (kept in
legacy_templates/legacy_pv/, rendered from the same projects): the same
HTML, byte for byte, but for the CSRF token's mask.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from obieg.core import access
from obieg.core.models import User
from obieg.crm.models import Account
from obieg.solutions.pv_installation.models import PVProject
from tests.solutions.pv_installation.helpers import new_project


def _page_context(response) -> dict:
    context = response.context
    return (context[0] if isinstance(context, list) else context).flatten()


LEGACY = Path(__file__).parent / "legacy_templates"
_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


@pytest.fixture
def projects(org, settings):
    """Three projects: a customer's name to escape, an owner with no name, a date past midnight."""
    settings.TEMPLATES = [{**django_settings.TEMPLATES[0], "DIRS": [LEGACY]}]
    made = [new_project(org, email=f"klient{n}@example.com") for n in range(3)]
    Account.objects.filter(pk=made[0].account_id).update(name='Aaa <Kowalski> & "syn"')
    PVProject.objects.filter(pk=made[0].pk).update(site_address="ul. Długa 5 <b>")
    nameless = User.objects.create(username="bez.nazwiska")
    PVProject.objects.filter(pk=made[1].pk).update(owner=nameless)
    # 23:30 UTC is the next day in Warsaw: the date is the local one, as |date prints it.
    PVProject.objects.filter(pk=made[2].pk).update(
        created_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    )
    return made


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("reader", ["sara", "admin"])
def test_the_list_prints_what_the_per_row_template_printed(org, projects, reader, language):
    user = getattr(org, reader)
    client = Client()
    client.force_login(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("pv:project_list"))
    assert response.status_code == 200
    html = response.content.decode()
    shown = access.visible(
        PVProject.objects.select_related("account", "owner").order_by("-id"), user
    )[:100]
    context = _page_context(response) | {"projects": shown}
    old = render_to_string("legacy_pv/project_list.html", context, response.wsgi_request)
    assert _TOKEN.sub(r"\1…", html) == _TOKEN.sub(r"\1…", old)
    assert html.count("<tr><td><a href=") == len(shown) >= 2
    assert "Aaa &lt;Kowalski&gt; &amp; &quot;syn&quot;" in html or reader == "sara"
    if reader == "admin":
        assert "<td>bez.nazwiska</td>" in html and "<td>2026-03-02</td>" in html


def test_no_project_yet(org, settings):
    settings.TEMPLATES = [{**django_settings.TEMPLATES[0], "DIRS": [LEGACY]}]
    client = Client()
    client.force_login(org.sara)
    response = client.get(reverse("pv:project_list"))
    context = _page_context(response) | {"projects": []}
    old = render_to_string("legacy_pv/project_list.html", context, response.wsgi_request)
    assert _TOKEN.sub(r"\1…", response.content.decode()) == _TOKEN.sub(r"\1…", old)
