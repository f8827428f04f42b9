"""`obieg serve` behind a TLS-terminating proxy: the proxy's headers reach Django.

Django's test client skips the HTTP server; these requests go through a real
waitress server set up the way `obieg serve` sets it up.
"""

import http.client
import threading

import pytest
from django.core.wsgi import get_wsgi_application
from waitress.server import create_server

from obieg.core.management.commands.serve import WAITRESS_OPTIONS

CUSTOMER = "198.51.100.7"


@pytest.fixture
def served(settings, transactional_db):
    """A waitress server on the loopback, with the loopback as the trusted proxy."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    application = get_wsgi_application()  # its middleware reads the settings above
    seen = {}

    def recording(environ, start_response):
        seen.update(environ)
        return application(environ, start_response)

    server = create_server(recording, host="127.0.0.1", port=0, threads=2, **WAITRESS_OPTIONS)
    threading.Thread(target=server.run, daemon=True).start()
    yield server.effective_port, seen
    server.close()
    server.task_dispatcher.shutdown()


def get(port: int, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers)
    return connection.getresponse()


def test_the_proxys_https_is_believed_so_the_page_is_not_redirected(served):
    port, _seen = served
    response = get(port, "/login/", {"X-Forwarded-Proto": "https"})
    assert response.status == 200


def test_the_proxys_client_address_reaches_django(served):
    port, seen = served
    get(port, "/login/", {"X-Forwarded-Proto": "https", "X-Forwarded-For": CUSTOMER}).read()
    assert seen["HTTP_X_FORWARDED_FOR"] == CUSTOMER


def test_plain_http_without_the_proxy_is_sent_to_https(served):
    port, _seen = served
    response = get(port, "/login/", {})
    assert response.status == 301
    assert response.getheader("Location").startswith("https://")
