"""`obieg serve --processes N`: several gunicorn web processes behind the TLS proxy.

The first tests check what the command accepts; the last starts a real
gunicorn with two processes (as `obieg serve --processes 2` does) in a
child process and sends it what a proxy on the loopback sends.
"""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from obieg.core.management.commands.serve import gunicorn_server, process_count


def test_auto_means_one_process_per_core_this_process_may_use():
    assert process_count("auto") == len(os.sched_getaffinity(0))
    assert process_count("3") == 3


@pytest.mark.parametrize("value", ["0", "-2", "many", ""])
def test_a_process_count_that_is_not_a_positive_number_is_refused(value):
    with pytest.raises(CommandError, match="--processes"):
        process_count(value)


def test_several_processes_refuse_to_start_a_worker_in_each():
    with pytest.raises(CommandError, match="--no-worker"):
        call_command("serve", "--processes", "2")


def test_gunicorn_leaves_the_proxy_headers_to_obieg():
    server = gunicorn_server(bind="127.0.0.1:0", workers=2, threads=3)
    assert server.cfg.workers == 2
    assert server.cfg.threads == 3
    assert server.cfg.worker_class_str == "gthread"
    # Gunicorn neither sets the scheme from X-Forwarded-Proto nor maps proxy
    # headers itself: TRUSTED_PROXIES decides (obieg.core.client_ip).
    assert server.cfg.secure_scheme_headers == {}
    assert server.cfg.forwarder_headers == []
    assert server.cfg.control_socket_disable


SERVE_TWO_PROCESSES = """
import django
django.setup()
from obieg.core.management.commands.serve import gunicorn_server
gunicorn_server(bind="127.0.0.1:{port}", workers=2, threads=2).run()
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str, headers: dict[str, str]) -> http.client.HTTPResponse | None:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", path, headers=headers)
        return connection.getresponse()
    except OSError:
        return None


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture
def two_processes(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "obieg.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "DEBUG": "true",  # static files without a collected manifest
        "PUBLIC_URL": "https://127.0.0.1",
        "TRUSTED_PROXIES": "127.0.0.1",
    }
    server = subprocess.Popen(
        [sys.executable, "-c", SERVE_TWO_PROCESSES.format(port=port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while _get(port, "/login/", {"X-Forwarded-Proto": "https"}) is None:
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail("gunicorn did not start: " + server.stderr.read().decode()[-2000:])
        time.sleep(0.2)
    yield server, port
    server.terminate()
    server.wait(timeout=30)


def test_two_gunicorn_processes_answer_behind_the_proxy(two_processes):
    server, port = two_processes
    assert len(_children(server.pid)) == 2
    behind_proxy = _get(port, "/login/", {"X-Forwarded-Proto": "https"})
    assert behind_proxy.status == 200
    plain = _get(port, "/login/", {})
    assert plain.status == 301
    assert plain.getheader("Location").startswith("https://")


def test_each_connection_carries_one_request_so_the_idle_process_takes_the_next(two_processes):
    # Kept alive, a connection stays with the process that accepted it: a client
    # (or proxy) holding several would pile them on one process's single core.
    _, port = two_processes
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/login/", headers={"X-Forwarded-Proto": "https"})
    answer = connection.getresponse()
    answer.read()
    assert answer.status == 200
    assert answer.getheader("Connection") == "close"
    assert answer.will_close
