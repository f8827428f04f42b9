"""Browser tests: Playwright for Python driving Debian's Chromium.

Playwright cannot download its own browser here, so the launch points at
/usr/bin/chromium (installed by scripts/ensure-chromium) with the flags that
keep it off the network.
"""

import os
import shutil

import pytest

from tests.conftest import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def login(page, live_server):
    """log in as `user` through the real log-in form; returns the page."""

    def _login(user):
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/**")
        return page

    return _login


def pytest_collection_modifyitems(items):
    """Every browser test is marked `browser`, and `once`: on SQLite only (tests/conftest.py)."""
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.once)


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
