"""Google's CalDAV API, as a stand-in on loopback: Radicale behind a bearer-token check.

Only a live access token of the stand-in authorisation server
(`oauth_standin`) gets in (RFC 6750), as the token's user — like
apidata.googleusercontent.com. Together they are what the Google tests run
Obieg's real flow against, since Google cannot be reached from the test
machines.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from urllib.parse import urljoin

import caldav
import radicale
import radicale.config
from caldav.requests import HTTPBearerAuth

from tests.scheduling.loopback import respond, serve, shutdown
from tests.scheduling.oauth_standin import AuthorizationServer
from tests.scheduling.radicale_server import _free_port


class CalDAVServer:
    """Radicale that lets in only live access tokens of `issuer` (like Google's CalDAV API)."""

    def __init__(self, root: Path, issuer: AuthorizationServer):
        root.mkdir(parents=True, exist_ok=True)
        configuration = radicale.config.load([])
        configuration.update(
            {
                "auth": {"type": "remote_user"},
                "rights": {"type": "owner_only"},
                "storage": {"filesystem_folder": str(root / "collections")},
                "logging": {"level": "error", "mask_passwords": "True"},
            },
            "tests",
            privileged=True,
        )
        logging.getLogger("radicale").setLevel(logging.CRITICAL)
        self.radicale = radicale.Application(configuration)
        self.issuer = issuer
        self.port = _free_port()
        self.failures: list[int] = []  # statuses answered to the next requests
        self.bearer_requests = 0
        self._http = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def __call__(self, environ, start_response):
        if self.failures:
            status = self.failures.pop(0)
            headers = [("Retry-After", "90")] if status == 429 else []
            return respond(start_response, status, "try later", headers)
        authorization = environ.pop("HTTP_AUTHORIZATION", "")
        token = authorization[7:] if authorization.startswith("Bearer ") else ""
        user = self.issuer.user_of(token) if token else None
        if user is None:
            challenge = 'Bearer realm="calendar"' + (', error="invalid_token"' if token else "")
            return respond(start_response, 401, "", [("WWW-Authenticate", challenge)])
        self.bearer_requests += 1
        environ["REMOTE_USER"] = user
        return self.radicale(environ, start_response)

    def client(self, user: str) -> caldav.DAVClient:
        """The person's own calendar app (their phone), signed in to the same account."""
        return caldav.DAVClient(url=self.url, auth=HTTPBearerAuth(self.issuer.issue_token(user)))

    def make_calendar(self, user: str, name: str) -> str:
        calendar = (
            self.client(user).principal().make_calendar(name=name, cal_id=uuid.uuid4().hex[:12])
        )
        return str(calendar.url)

    def objects(self, user: str, url: str) -> list:
        return list(self.client(user).calendar(url=url).events())

    def put(self, user: str, url: str, name: str, ics: str) -> None:
        """An appointment the person makes in their own calendar app."""
        response = self.client(user).put(
            urljoin(url, name), ics, {"Content-Type": "text/calendar; charset=utf-8"}
        )
        assert response.status in (200, 201, 204), response.status

    def start(self):
        self._http = serve(self, self.port)

    def stop(self):
        shutdown(self._http)
