"""The grant project list's filters, drawn by core/prepared_widgets.py: the page Django drew.

ProjectFilterForm's selects are written directly instead of option by option
through Django's widget templates; the whole page is compared with the one
Django's own renderer draws, for filters chosen, none, and values refused.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.forms.renderers import get_default_renderer
from django.test import Client
from django.urls import reverse

from obieg.core.prepared_widgets import PreparedWidgets
from obieg.solutions.grants.views import ProjectFilterForm
from tests.solutions.grants.helpers import make_project

_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


def test_the_filters_are_drawn_by_the_prepared_widgets():
    assert isinstance(ProjectFilterForm().renderer, PreparedWidgets)


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"status": "realisation", "sort": "number", "q": 'Dąb <"&>'},
        {"status": "no-such-status", "coordinator": "999999"},  # refused: marked is-invalid
    ],
)
def test_the_list_is_the_page_django_s_widget_templates_drew(
    institution, monkeypatch, language, query
):
    make_project(institution)
    query = dict(query)
    if query == {}:
        query["coordinator"] = str(institution.coordinator.pk)
    client = Client()
    client.force_login(institution.advisor)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language

    prepared = client.get(reverse("grants:project_list"), query)
    monkeypatch.setattr(ProjectFilterForm, "default_renderer", get_default_renderer())
    django_drawn = client.get(reverse("grants:project_list"), query)

    assert prepared.status_code == django_drawn.status_code == 200
    html = prepared.content.decode()
    assert '<select name="status"' in html and '<select name="coordinator"' in html
    assert _TOKEN.sub(r"\1…", html) == _TOKEN.sub(r"\1…", django_drawn.content.decode())
