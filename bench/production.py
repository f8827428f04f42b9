"""The production layout on the loopback, as the load benchmarks start it (soak.py, http_load.py).

Production settings behind a TLS-terminating proxy (docs/operations.md), the
static files' manifest kept fresh, a free port, a wait until the web process
answers, and the database sessions a process holds (to count their CPU).
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
# What the TLS-terminating proxy in front (TRUSTED_PROXIES) adds to each request.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}


def production_env(url: str, *, var: Path, secret: str) -> dict[str, str]:
    """Production settings, as docs/operations.md gives them, behind a proxy on the loopback."""
    return {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "obieg.settings",
        "DEBUG": "false",
        "SECRET_KEY": secret + "-" + "s" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "PUBLIC_URL": "https://127.0.0.1",
        "TRUSTED_PROXIES": "127.0.0.1",
        "STATIC_ROOT": str(var / "static"),
        "MEDIA_ROOT": str(var / "media"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "src"),
    }


def collect_static(var: Path) -> None:
    """Production settings serve static files from a manifest: collect them when stale."""
    from django.contrib.staticfiles.finders import get_finders
    from django.core.management import call_command

    manifest = var / "static" / "staticfiles.json"
    built = manifest.stat().st_mtime if manifest.exists() else 0
    newest = max(
        os.path.getmtime(storage.path(path))
        for finder in get_finders()
        for path, storage in finder.list([])
    )
    if newest > built:
        print("  collecting static files (production manifest) …", flush=True)
        call_command("collectstatic", interactive=False, verbosity=0)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_healthy(base: str, *, var: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            answer = requests.get(base + "/healthz", headers=PROXY_HEADERS, timeout=5)
            if answer.status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{base} did not become healthy; see {var}/web*.log")


def tcp_ports_to(pid: int, remote_port: int) -> set[int]:
    """Local ports of `pid`'s TCP connections to `remote_port` (its database sessions)."""
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if link.startswith("socket:["):
                inodes.add(link[8:-1])
    except OSError:
        return set()
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            next(lines)
            for line in lines:
                fields = line.split()
                if fields[9] in inodes and int(fields[2].rsplit(":", 1)[1], 16) == remote_port:
                    ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports
