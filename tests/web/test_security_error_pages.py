"""With DEBUG off (the default) errors get Obieg's own pages, never Django's
technical ones that list every URL pattern."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.template import loader
from django.test import Client
from django.urls import include, path
from django.utils import translation


def boom(request):
    raise RuntimeError("a bug")


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("a forged header")


urlpatterns = [
    path("boom/", boom),
    path("forbidden/", forbidden),
    path("suspicious/", suspicious),
    path("", include("obieg.urls")),
]


def in_language(code: str, text: str) -> str:
    with translation.override(code):
        return translation.gettext(text)


def test_debug_is_off_unless_asked_for(tmp_path):
    code = "import obieg.settings as s; print(s.DEBUG)"
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env["OBIEG_HOME"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "True", result.stderr


def test_an_unknown_address_gets_the_friendly_404_in_polish(client, db):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="pl")
    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="pl">' in page
    title = in_language("pl", "Page not found")
    assert title != "Page not found" and title in page and 'id="error-page"' in page
    assert "URLconf" not in page and "urlpatterns" not in page and "api/" not in page


def test_the_language_cookie_gives_the_404_in_english(client, db):
    client.cookies["django_language"] = "en"
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="pl")
    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="en">' in page and "Page not found" in page
    assert 'id="error-page"' in page and "URLconf" not in page


@pytest.mark.urls(__name__)
def test_a_view_that_raises_gets_the_friendly_500(db):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Server error" in page and 'id="error-page"' in page
    assert "RuntimeError" not in page and "Traceback" not in page


def test_the_500_page_needs_no_database_request_or_collected_static_files(settings, tmp_path):
    # No `db` fixture: any query would fail. The production storage with nothing
    # collected would fail any {% static %}.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "obieg.web.static_storage.StaticStorage"},
    }
    settings.STATIC_ROOT = str(tmp_path)
    with translation.override("en"):
        page = loader.get_template("500.html").render()
    assert "Server error" in page and 'href="/"' in page


def test_a_failed_csrf_check_gets_a_friendly_403(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "The form could not be sent" in page and "CSRF" not in page


@pytest.mark.urls(__name__)
def test_a_forbidden_page_and_a_bad_request_get_friendly_pages(client, db):
    forbidden = client.get("/forbidden/", HTTP_ACCEPT_LANGUAGE="en")
    assert forbidden.status_code == 403
    assert "You may not open this page" in forbidden.content.decode()
    bad = client.get("/suspicious/", HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400
    assert "Bad request" in bad.content.decode() and "forged" not in bad.content.decode()
