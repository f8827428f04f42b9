"""The layout every page extends draws what does not change once per language (#16).

web/base.html and web/_nav_items.html keep the text that is the same for every
request in a language (links, static files, labels, the menu for one set of
entries) inside `{% fixed %}` (web/templatetags/chrome.py). The HTML must stay
what the layout drew before: it is compared, for users of several roles in
both languages, with the templates as they were (kept in
tests/web/legacy_templates/legacy_chrome/, given the menu as the context
processor used to compute it).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import urls
from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.template import Context, Template, TemplateSyntaxError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix
from django.utils import translation

from obieg.core import roles
from obieg.web.navigation import menu_for
from tests.conftest import give_role
from tests.statements import sql_of_each

pytestmark = pytest.mark.django_db

LEGACY = Path(__file__).parent / "legacy_templates"
PERSONAS = ("admin", "sara", "accountant", "stranger", "manager", "board", "designer")
# What differs between two renderings by design: the CSRF token's mask.
_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


@pytest.fixture
def legacy_templates(settings):
    settings.TEMPLATES = [{**django_settings.TEMPLATES[0], "DIRS": [LEGACY]}]


def _request(user, path: str = "/contracts/?sort=-name&q=a%20b"):
    request = RequestFactory().get(path)
    SessionMiddleware(lambda request: None).process_request(request)
    MessageMiddleware(lambda request: None).process_request(request)
    request.user = user
    return request


def _layout(user, language: str, *, legacy: bool = False) -> str:
    request = _request(user)
    messages.info(request, "Saved <b>them</b>")
    with translation.override(language):
        if legacy:
            # The context processor's menu as it was: menu_for's list, built for this page.
            return render_to_string(
                "legacy_chrome/base.html", {"nav_menu": menu_for(user)}, request
            )
        return render_to_string("web/base.html", {}, request)


def _unmasked(html: str) -> str:
    return _TOKEN.sub(r"\1…", html)


def test_the_layout_is_what_it_was_for_every_role_and_language(org, legacy_templates):
    # Each drawn twice, languages and users interleaved: the second from what was kept.
    for _round in range(2):
        for language in ("pl", "en"):
            for persona in PERSONAS:
                user = getattr(org, persona)
                new = _layout(user, language)
                old = _layout(user, language, legacy=True)
                assert 'class="dropdown-item"' in new or persona == "stranger"
                assert "Saved &lt;b&gt;them&lt;/b&gt;" in new
                assert f'<html lang="{language}">' in new
                assert _unmasked(new) == _unmasked(old), (persona, language)


def test_each_user_sees_their_own_menu_and_name(org):
    admin, sara = _layout(org.admin, "en"), _layout(org.sara, "en")
    outbox = f'href="{reverse("mail:outbox")}"'
    assert outbox in admin and outbox not in sara
    assert ">Sara</span>" in sara and ">Sara</span>" not in admin
    assert 'value="/contracts/?sort=-name&amp;q=a%20b"' in sara
    assert '<option value="en" selected>EN</option>' in sara
    polish = _layout(org.sara, "pl")
    assert '<option value="pl" selected>PL</option>' in polish and ">Wyloguj" in polish


def test_a_layout_drawn_again_reverses_no_url(org, monkeypatch):
    _layout(org.sara, "en")
    calls = []
    # The {% url %} tag imports django.urls.reverse when it renders.
    monkeypatch.setattr(
        urls, "reverse", lambda *args, **kwargs: calls.append(args) or reverse(*args, **kwargs)
    )
    html = _layout(org.sara, "en")
    assert calls == []
    assert f'href="{reverse("contract_list")}"' in html


def test_the_menu_follows_the_roles_of_the_moment(org):
    outbox = f'href="{reverse("mail:outbox")}"'
    assert outbox not in _layout(org.sara, "en")
    give_role(org.sara, roles.ADMIN)
    assert outbox in _layout(org.sara, "en")


def test_links_follow_the_script_prefix(org):
    plain = _layout(org.sara, "en")
    set_script_prefix("/crm/")
    try:
        prefixed = _layout(org.sara, "en")
    finally:
        set_script_prefix("/")
    assert 'href="/contracts/"' in plain and "/crm/" not in plain
    assert 'href="/crm/contracts/"' in prefixed and 'href="/contracts/"' not in prefixed
    assert "/crm/" not in _layout(org.sara, "en")


def test_a_fragment_without_the_menu_reads_no_roles(client, org):
    client.force_login(org.sara)
    client.get(reverse("notifications:bell"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("notifications:bell"))
    assert response.status_code == 200
    # The roles come with the request's user read (core.auth_backend), never on their own.
    reads = [sql for sql in sql_of_each(queries) if "auth_group" in sql]
    assert len(reads) == 1 and reads[0].startswith('SELECT "core_user"."id"')


def test_what_would_be_wrong_once_kept_is_refused():
    for inside in ("{% csrf_token %}", "{% block nav %}{% endblock %}"):
        with pytest.raises(TemplateSyntaxError):
            Template("{% load chrome %}{% fixed %}" + inside + "{% endfixed %}")
    kept = Template("{% load chrome %}{% fixed key %}{{ key }}{% endfixed %}")
    assert kept.render(Context({"key": 1})) == "1"
    assert kept.render(Context({"key": 2})) == "2"
