"""The PV list's new-lead form is drawn by core/prepared_widgets.py: the same page as Django's."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.forms.renderers import get_default_renderer
from django.test import Client
from django.urls import reverse

from obieg.core.prepared_widgets import PreparedWidgets
from obieg.solutions.pv_installation.views import NewLeadForm

_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


def test_the_form_is_drawn_by_the_prepared_widgets():
    assert isinstance(NewLeadForm().renderer, PreparedWidgets)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_list_and_a_refused_lead_are_the_pages_django_s_templates_drew(
    org, monkeypatch, language
):
    client = Client()
    client.force_login(org.sara)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    refused = {"contact_name": 'Ewa <"Nowak">', "postal_code": "31100", "city": "Kraków"}

    prepared = [
        client.get(reverse("pv:project_list")),
        client.post(reverse("pv:project_list"), refused),
    ]
    monkeypatch.setattr(NewLeadForm, "default_renderer", get_default_renderer())
    django_drawn = [
        client.get(reverse("pv:project_list")),
        client.post(reverse("pv:project_list"), refused),
    ]

    for new, old in zip(prepared, django_drawn, strict=True):
        assert new.status_code == old.status_code == 200
        html = new.content.decode()
        assert 'name="contact_name"' in html
        assert _TOKEN.sub(r"\1…", html) == _TOKEN.sub(r"\1…", old.content.decode())
    assert "is-invalid" in prepared[1].content.decode()
