"""What the settings turn on by themselves: the secret key kept in var/, Secure
cookies and HSTS with an https PUBLIC_URL, the proxy's scheme header only from
a trusted proxy, one static-files storage whatever DEBUG says."""

import json
import os
import stat
import subprocess
import sys

import pytest

NAMES = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "STORAGES",
]
# The variables these tests set; whatever the shell running the suite had is dropped.
OURS = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "PUBLIC_URL"}
OURS |= {"TRUSTED_PROXIES", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"}


def load_settings(home, **env) -> dict:
    """The settings module as a fresh process with this environment sees it."""
    code = (
        "import json; from django.conf import global_settings as g; import obieg.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, getattr(g, n, None)) for n in {NAMES!r}}}))"
    )
    base = {k: v for k, v in os.environ.items() if k not in OURS}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "OBIEG_HOME": str(home), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode:
        raise AssertionError(result.stderr)
    return json.loads(result.stdout)


def test_without_settings_a_secret_key_is_made_once_and_kept_private(tmp_path):
    first = load_settings(tmp_path)
    key_file = tmp_path / "var" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first["SECRET_KEY"]) >= 50
    assert load_settings(tmp_path)["SECRET_KEY"] == first["SECRET_KEY"]
    assert load_settings(tmp_path, SECRET_KEY="from-the-environment")["SECRET_KEY"] == (
        "from-the-environment"
    )


def test_the_embedded_run_answers_on_this_machine_over_plain_http(tmp_path):
    embedded = load_settings(tmp_path)
    assert embedded["DEBUG"] is False
    assert {"127.0.0.1", "localhost"} <= set(embedded["ALLOWED_HOSTS"])
    assert embedded["SESSION_COOKIE_SECURE"] is False
    assert embedded["CSRF_COOKIE_SECURE"] is False
    assert embedded["SECURE_HSTS_SECONDS"] == 0
    assert embedded["SECURE_SSL_REDIRECT"] is False
    assert embedded["SECURE_PROXY_SSL_HEADER"] is None


def test_an_https_public_url_makes_cookies_secure_and_sends_hsts(tmp_path):
    public = load_settings(tmp_path, PUBLIC_URL="https://crm.example.pl")
    assert public["SESSION_COOKIE_SECURE"] is True
    assert public["CSRF_COOKIE_SECURE"] is True
    assert public["LANGUAGE_COOKIE_SECURE"] is True
    assert public["SECURE_HSTS_SECONDS"] == 31536000
    assert "crm.example.pl" in public["ALLOWED_HOSTS"]
    assert public["CSRF_TRUSTED_ORIGINS"] == ["https://crm.example.pl"]
    # Without a trusted proxy the scheme is unknown: redirecting would loop.
    assert public["SECURE_SSL_REDIRECT"] is False


def test_the_proxys_scheme_header_is_read_only_with_a_trusted_proxy(tmp_path):
    proxied = load_settings(
        tmp_path, PUBLIC_URL="https://crm.example.pl", TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8"
    )
    assert proxied["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert proxied["SECURE_SSL_REDIRECT"] is True
    assert load_settings(tmp_path)["SECURE_PROXY_SSL_HEADER"] is None


def test_a_bad_trusted_proxy_fails_loudly(tmp_path):
    with pytest.raises(AssertionError, match="TRUSTED_PROXIES must list IP addresses"):
        load_settings(tmp_path, TRUSTED_PROXIES="proxy.example.pl")


def test_static_files_use_one_storage_whatever_debug_says(tmp_path):
    # Files collected in one mode must serve in the other (NOTES: a manifest-less
    # collection made every page fail with DEBUG off).
    on = load_settings(tmp_path, DEBUG="true")["STORAGES"]
    off = load_settings(tmp_path, DEBUG="false")["STORAGES"]
    assert on == off


# The same rules at work on requests.

PROXY = "10.0.0.1"


@pytest.fixture
def behind_https_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000


def test_the_trusted_proxy_says_https_and_the_page_is_served_with_hsts(
    client, db, behind_https_proxy
):
    response = client.get("/login/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_scheme_header_from_anyone_else_is_dropped(client, db, behind_https_proxy):
    response = client.get("/login/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_health_checks_over_plain_http_are_not_redirected(client, db, behind_https_proxy):
    assert client.get("/healthz", REMOTE_ADDR=PROXY).status_code == 200
