"""PV fixtures: the seller's profile, crews, an installer, a deployed process and a frozen clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from obieg.billing.models import CompanyProfile
from obieg.core import clock, roles
from obieg.engine import deploy
from obieg.scheduling import crews
from obieg.scheduling.availability import public_holiday
from obieg.scheduling.models import Skill
from tests.conftest import make_user

WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture(autouse=True)
def pv_setup(db, media_root, settings):
    settings.PV_LEAD_MIN_FILL_SECONDS = 0
    deploy.deploy_all()


@pytest.fixture(autouse=True)
def profile(db) -> CompanyProfile:
    return CompanyProfile.objects.create(
        name="Słoneczna Energia Sp. z o.o.",
        nip="5260250274",
        regon="146321453",
        street="ul. Żółkiewskiego 12/4",
        postal_code="31-539",
        city="Kraków",
        email="biuro@sloneczna.example",
        phone="+48 12 345 67 89",
        bank_account="PL61109010140000071219812874",
        bank_name="Bank Przykładowy S.A.",
        place_of_issue="Kraków",
        payment_days=14,
    )


@pytest.fixture
def installer(db):
    return make_user("igor", roles.INSTALLER)


@pytest.fixture
def electrician(db):
    return make_user("edward", roles.INSTALLER)


@pytest.fixture
def roof_crew(org, installer):
    skill = Skill.objects.get_or_create(code="roof", defaults={"name": "Dach"})[0]
    return crews.crew_create(
        actor=org.manager,
        data={"name": "Ekipa Dach", "kind": "own"},
        members=[installer],
        skills=[skill],
    )


@pytest.fixture
def electrical_crew(org, electrician):
    skill = Skill.objects.get_or_create(code="electrical", defaults={"name": "Elektryka"})[0]
    return crews.crew_create(
        actor=org.manager,
        data={"name": "Elektro-Serwis", "kind": "subcontractor", "company": "Elektro-Serwis s.c."},
        members=[electrician],
        skills=[skill],
    )


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=WARSAW)


@pytest.fixture
def frozen():
    """`with frozen(at(2026, 3, 2, 9)):` freezes the engine clock (all threads)."""
    return lambda moment: clock.frozen(moment, all_threads=True)


def _work_start() -> date:
    """A Monday two weeks or more ahead whose Monday and Tuesday are working days.

    In the future because calendars sync only current and coming work.
    """
    day = date.today() + timedelta(days=14)
    while day.weekday() != 0 or any(public_holiday(day + timedelta(days=n)) for n in (0, 1)):
        day += timedelta(days=1)
    return day


WORK_START = _work_start()
