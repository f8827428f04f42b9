"""Browser tests: Playwright for Python driving Debian's Chromium.

Playwright cannot download its own browser here, so the launch points at
/usr/bin/chromium (installed by scripts/ensure-chromium) with the flags that
keep it off the network.
"""

import os
import shutil

import pytest
from playwright.sync_api import Error as PlaywrightError

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


@pytest.fixture(autouse=True)
def requests_answered_before_the_flush(live_server, page):
    """Let the page's last requests end before the database is emptied for the next test.

    Every page loads the inbox badge through htmx after it is drawn; a test that
    ends at once leaves that request in the live server's thread, which on SQLite
    shares the test's in-memory database, and the teardown's flush then failed
    with "database table is locked: django_session" (seen under load, with
    pytest-xdist). Set up after the live server and the page, this is torn down
    before them.
    """
    yield
    try:
        page.wait_for_load_state("networkidle", timeout=5000)
    except PlaywrightError:  # the page was closed or crashed: nothing of it is in flight
        pass


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
