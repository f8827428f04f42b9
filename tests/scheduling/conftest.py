"""Calendar fixtures: a real Radicale server, crews, planners and installers."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from obieg.core import roles
from obieg.scheduling import calendars, crews
from obieg.scheduling.models import Skill
from tests.conftest import make_user
from tests.scheduling.radicale_server import RadicaleServer

WARSAW = ZoneInfo("Europe/Warsaw")
CREW_USER = "ekipa1"
CREW_PASSWORD = "tajne-haslo-ekipy-1"


def at(year, month, day, hour=8, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WARSAW)


@pytest.fixture
def radicale(tmp_path):
    server = RadicaleServer(tmp_path / "radicale", {CREW_USER: CREW_PASSWORD, "ekipa2": "haslo-2"})
    server.start()
    yield server
    server.stop()


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
