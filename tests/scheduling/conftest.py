"""Calendar fixtures: real Radicale and Xandikos servers, Google's stand-ins, crews and people."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from obieg.core import clock, roles
from obieg.scheduling import calendars, crews, crypto
from obieg.scheduling.models import GoogleClientSettings, Skill
from tests.conftest import make_user
from tests.scheduling.google_standin import CalDAVServer
from tests.scheduling.oauth_standin import AuthorizationServer
from tests.scheduling.radicale_server import RadicaleServer
from tests.scheduling.xandikos_server import XandikosServer

WARSAW = ZoneInfo("Europe/Warsaw")
CREW_USER = "ekipa1"
CREW_PASSWORD = "tajne-haslo-ekipy-1"
# The Google account of the subcontractor (and another one it could sign in with).
GOOGLE_USER = "ekipa.kowalski@gmail.com"
OTHER_GOOGLE_USER = "jan.kowalski@gmail.com"
CLIENT_ID = "1234-obieg.apps.googleusercontent.com"
CLIENT_SECRET = "GOCSPX-test-secret"


def at(year, month, day, hour=8, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WARSAW)


# The tests' appointments are fixed days of December 2026; what is synchronised,
# kept as busy time or listed as upcoming is counted from Obieg's clock, so every
# test runs on the Monday they were written for, not on the day it runs (from
# January 2027 the days fell out of the 30-day past window and the pushes stopped).
# Leases, retries and tokens keep the wall clock, as servers and workers do.
TODAY = at(2026, 12, 7, 8)


@pytest.fixture(autouse=True)
def _calendar_day():
    with clock.frozen(TODAY, all_threads=True):
        yield


@pytest.fixture
def radicale(tmp_path):
    server = RadicaleServer(tmp_path / "radicale", {CREW_USER: CREW_PASSWORD, "ekipa2": "haslo-2"})
    server.start()
    yield server
    server.stop()


@pytest.fixture
def xandikos(tmp_path):
    server = XandikosServer(tmp_path / "xandikos")
    server.start()
    yield server
    server.stop()


class Google:
    """Google's authorisation server and CalDAV API, as local stand-ins."""

    def __init__(self, issuer: AuthorizationServer, dav: CalDAVServer):
        self.issuer = issuer
        self.dav = dav


@pytest.fixture
def google(settings, tmp_path, db):
    """The stand-ins running, Obieg pointed at them, and the client an administrator entered."""
    redirect_uri = settings.PUBLIC_URL.rstrip("/") + "/scheduling/google/callback/"
    issuer = AuthorizationServer(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uri=redirect_uri,
        users=[GOOGLE_USER, OTHER_GOOGLE_USER],
    )
    dav = CalDAVServer(tmp_path / "google", issuer)
    issuer.start()
    dav.start()
    settings.SCHEDULING_GOOGLE_AUTHORIZE_URL = issuer.authorize_url
    settings.SCHEDULING_GOOGLE_TOKEN_URL = issuer.token_url
    settings.SCHEDULING_GOOGLE_REVOKE_URL = issuer.revoke_url
    settings.SCHEDULING_GOOGLE_CALDAV_URL = dav.url
    GoogleClientSettings.objects.create(
        pk=1, client_id=CLIENT_ID, client_secret_encrypted=crypto.encrypt(CLIENT_SECRET)
    )
    yield Google(issuer, dav)
    dav.stop()
    issuer.stop()


@pytest.fixture
def installer(db):
    return make_user("igor", roles.INSTALLER)


@pytest.fixture
def roof(db):
    return Skill.objects.create(code="roof", name="Dach")


@pytest.fixture
def electrical(db):
    return Skill.objects.create(code="electrical", name="Elektryka")


@pytest.fixture
def crew(org, installer, roof, electrical):
    """Ekipa Dach, an own crew of one installer, working Monday to Friday."""
    return crews.crew_create(
        actor=org.manager,
        data={"name": "Ekipa Dach", "kind": "own", "colour": "#aa3300"},
        members=[installer],
        skills=[roof, electrical],
    )


@pytest.fixture
def other_crew(org, electrical):
    return crews.crew_create(
        actor=org.manager,
        data={"name": "Elektro-Serwis", "kind": "subcontractor", "company": "Elektro-Serwis s.c."},
        skills=[electrical],
    )


@pytest.fixture
def synced_crew(org, crew, radicale):
    """The crew, connected to its own calendar on the Radicale server."""
    url = radicale.make_calendar(CREW_USER)
    calendars.caldav_configure(
        actor=org.manager, owner=crew, url=url, username=CREW_USER, password=CREW_PASSWORD
    )
    crew.refresh_from_db()
    return crew
