"""A second real CalDAV server for the tests: Xandikos (PyPI), in-process, on a free loopback port.

Xandikos keeps each calendar in a Git repository and reads iCalendar
strictly; Obieg's sync must work against it as against Radicale.
One user, no log-in (its single-user mode): the tests check calendar
data, not authentication.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import caldav
from xandikos.web import SingleUserFilesystemBackend, XandikosApp

from tests.scheduling.loopback import serve as _serve
from tests.scheduling.loopback import shutdown as _shutdown
from tests.scheduling.radicale_server import _free_port

PRINCIPAL = "/user/"


class XandikosServer:
    def __init__(self, root: Path):
        root.mkdir(parents=True, exist_ok=True)
        logging.getLogger("xandikos").setLevel(logging.CRITICAL)
        backend = SingleUserFilesystemBackend(str(root))
        backend.create_principal(PRINCIPAL, create_defaults=True)
        self.xandikos = XandikosApp(backend, PRINCIPAL)
        self.port = _free_port()
        self._http = None

    def app(self, environ, start_response):
        # Xandikos reads a body to its end; wsgiref's input is the socket itself, which
        # never ends. A WSGI server such as gunicorn hands over only the body, as here.
        length = int(environ.get("CONTENT_LENGTH") or 0)
        environ["wsgi.input"] = io.BytesIO(environ["wsgi.input"].read(length) if length else b"")
        return self.xandikos(environ, start_response)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        self._http = _serve(self.app, self.port)

    def stop(self) -> None:
        _shutdown(self._http)

    def client(self, user: str = "") -> caldav.DAVClient:
        return caldav.DAVClient(url=self.url)

    def make_calendar(self, user: str = "", name: str = "calendar") -> str:
        return f"{self.url}user/calendars/{name}/"

    def objects(self, user: str, url: str) -> list:
        return list(self.client().calendar(url=url).events())
