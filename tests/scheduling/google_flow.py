"""Steps of the Google tests: a person connects a calendar through the real consent flow."""

from __future__ import annotations

from urllib.parse import urlsplit

from obieg.scheduling import tasks
from tests.scheduling.conftest import GOOGLE_USER


def start_and_consent(client, google, base: str, *, account: str = GOOGLE_USER, allow=True):
    """Press "Connect Google Calendar", answer Google's consent page; Obieg's callback answer."""
    start = client.post(f"{base}google/connect/")
    assert start.status_code == 302, start.content
    assert start["Location"].startswith(google.issuer.authorize_url)
    callback = google.issuer.consent(start["Location"], account=account, allow=allow)
    parts = urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}")


def connect(client, google, base: str, calendar_url: str, *, account: str = GOOGLE_USER):
    """The whole flow: consent, the list of the account's calendars, the choice."""
    answer = start_and_consent(client, google, base, account=account)
    assert answer.status_code == 302 and answer["Location"] == f"{base}google/calendars/"
    page = client.get(f"{base}google/calendars/")
    assert page.status_code == 200
    chosen = client.post(f"{base}google/calendars/", {"calendar": calendar_url})
    assert chosen.status_code == 302, chosen.content.decode()
    return page


def sync(owner, *, retry: bool = False) -> dict:
    """One sync as the worker runs it; `retry` as the back-off's own retry does."""
    owner.refresh_from_db()
    return tasks.sync_calendar.call(owner.caldav_id, retry=retry)
