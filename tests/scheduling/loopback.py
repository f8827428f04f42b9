"""Small WSGI plumbing shared by the test servers on loopback."""

from __future__ import annotations

import json
import threading
from urllib.parse import parse_qsl
from wsgiref.simple_server import make_server

from tests.scheduling.radicale_server import _QuietHandler


def read_form(environ) -> dict[str, str]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length).decode() if length else ""
    return dict(parse_qsl(body, keep_blank_values=True))


STATUS = {200: "200 OK", 302: "302 Found", 400: "400 Bad Request", 401: "401 Unauthorized"}


def respond(start_response, status, body, headers):
    headers = list(headers or [])
    if isinstance(body, dict):
        body = json.dumps(body)
        if not any(name.lower() == "content-type" for name, _value in headers):
            headers.append(("Content-Type", "application/json"))
    start_response(STATUS.get(status, f"{status} Error"), headers)
    return [(body or "").encode()]


def serve(app, port):
    server = make_server("127.0.0.1", port, app, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


def shutdown(server) -> None:
    if server is not None:
        server.shutdown()
        server.server_close()
