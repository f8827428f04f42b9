"""Where Google's endpoints are and which OAuth client Obieg is: settings read in one place.

The client id and secret are entered once by an administrator on the
Google Calendar settings page, or given in the environment
(GOOGLE_CALENDAR_CLIENT_ID, GOOGLE_CALENDAR_CLIENT_SECRET) — the
environment wins, so a deployment can pin them; the page then shows them
read-only. The endpoints are Google's; tests point them at local stand-ins.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from obieg.scheduling import crypto

AUTHORIZE_URL = "https://accounts.google.com/o/oauth2/v2/auth"
TOKEN_URL = "https://oauth2.googleapis.com/token"
REVOKE_URL = "https://oauth2.googleapis.com/revoke"
# RFC 4791 discovery starts here: principal, calendar home, the account's calendars.
CALDAV_URL = "https://apidata.googleusercontent.com/caldav/v2/"
# Read and write calendars (what Google's CalDAV API asks for).
SCOPE = "https://www.googleapis.com/auth/calendar"

ENV_CLIENT_ID = "GOOGLE_CALENDAR_CLIENT_ID"
ENV_CLIENT_SECRET = "GOOGLE_CALENDAR_CLIENT_SECRET"


def _setting(name: str, default: str) -> str:
    return getattr(settings, name, None) or default


def authorize_url() -> str:
    return _setting("SCHEDULING_GOOGLE_AUTHORIZE_URL", AUTHORIZE_URL)


def authorize_origin() -> str:
    """scheme://host of the consent page (a page that posts to "Connect" must allow it)."""
    parts = urlsplit(authorize_url())
    return f"{parts.scheme}://{parts.netloc}"


def token_url() -> str:
    return _setting("SCHEDULING_GOOGLE_TOKEN_URL", TOKEN_URL)


def revoke_url() -> str:
    return _setting("SCHEDULING_GOOGLE_REVOKE_URL", REVOKE_URL)


def caldav_url() -> str:
    return _setting("SCHEDULING_GOOGLE_CALDAV_URL", CALDAV_URL)


def scope() -> str:
    return _setting("SCHEDULING_GOOGLE_SCOPE", SCOPE)


def refresh_margin() -> float:
    """Seconds before expiry at which an access token is renewed (a sync must not outlive it)."""
    return float(getattr(settings, "SCHEDULING_GOOGLE_REFRESH_MARGIN", 300))


def redirect_uri() -> str:
    """The address Google sends the person back to; registered in the Google Cloud console."""
    base = getattr(settings, "PUBLIC_URL", "").rstrip("/")
    return base + reverse("scheduling:google_callback")


@dataclass(frozen=True)
class ClientCredentials:
    client_id: str
    client_secret: str
    from_environment: bool

    @property
    def complete(self) -> bool:
        return bool(self.client_id and self.client_secret)


def _environment() -> tuple[str, str]:
    client_id = getattr(settings, ENV_CLIENT_ID, None) or os.environ.get(ENV_CLIENT_ID, "")
    secret = getattr(settings, ENV_CLIENT_SECRET, None) or os.environ.get(ENV_CLIENT_SECRET, "")
    return client_id.strip(), secret.strip()


def credentials() -> ClientCredentials:
    """The OAuth client: from the environment if it names one, else from the settings page."""
    from obieg.scheduling.models import GoogleClientSettings

    client_id, secret = _environment()
    if client_id:
        return ClientCredentials(client_id, secret, from_environment=True)
    stored = GoogleClientSettings.objects.filter(pk=1).first()
    if stored is None:
        return ClientCredentials("", "", from_environment=False)
    return ClientCredentials(
        stored.client_id, crypto.decrypt(stored.client_secret_encrypted), from_environment=False
    )


def is_configured() -> bool:
    return credentials().complete
