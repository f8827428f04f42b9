"""A real CalDAV server for the tests: Radicale, in-process, on a free loopback port.

It can be stopped and started again on the same port, to test a server that
is down and comes back. Users log in with passwords from an htpasswd file.
"""

from __future__ import annotations

import logging
import socket
import threading
import uuid
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import caldav
import radicale
import radicale.config


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RadicaleServer:
    def __init__(self, root: Path, users: dict[str, str]):
        root.mkdir(parents=True, exist_ok=True)
        htpasswd = root / "users"
        htpasswd.write_text("".join(f"{name}:{password}\n" for name, password in users.items()))
        configuration = radicale.config.load([])
        configuration.update(
            {
                "auth": {
                    "type": "htpasswd",
                    "htpasswd_filename": str(htpasswd),
                    "htpasswd_encryption": "plain",
                    "delay": "0",
                },
                "rights": {"type": "owner_only"},
                "storage": {"filesystem_folder": str(root / "collections")},
                "logging": {"level": "error", "mask_passwords": "True"},
            },
            "tests",
            privileged=True,
        )
        logging.getLogger("radicale").setLevel(logging.CRITICAL)
        self.app = radicale.Application(configuration)
        self.users = users
        self.port = _free_port()
        self._server: WSGIServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        self._server = make_server("127.0.0.1", self.port, self.app, handler_class=_QuietHandler)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def client(self, user: str) -> caldav.DAVClient:
        return caldav.DAVClient(url=self.url, username=user, password=self.users[user])

    def make_calendar(self, user: str, name: str = "Ekipa") -> str:
        """A new calendar collection of `user`; returns its URL."""
        calendar = (
            self.client(user).principal().make_calendar(name=name, cal_id=uuid.uuid4().hex[:12])
        )
        return str(calendar.url)

    def calendar(self, user: str, url: str) -> caldav.Calendar:
        return self.client(user).calendar(url=url)

    def objects(self, user: str, url: str) -> list:
        """Every event in the collection, loaded (what a person would see)."""
        return list(self.calendar(user, url).events())
