"""The call-back process (a task for a named person, one for the salespeople's queue), a frozen
clock, and the reminder jobs started once so they read from "now" on."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from obieg.core import clock
from obieg.engine import deploy, spec_cache
from obieg.notifications import reminders
from obieg.notifications.models import Notification
from tests.factories import AccountFactory

DATA = Path(__file__).parent / "data"
WARSAW = ZoneInfo("Europe/Warsaw")


def at(*args: int) -> datetime:
    """A Warsaw moment, for freezing the clock."""
    return datetime(*args, tzinfo=WARSAW)


@pytest.fixture
def call_back_process(db):
    deploy.deploy_files([DATA / "reminders.bpmn"], solution="tests")
    yield "call_back"
    spec_cache.clear()


def run_jobs() -> None:
    """One beat of the reminder jobs, as a worker's clock runs them."""
    for job in reminders.JOBS:
        job()


@pytest.fixture
def started(db):
    """The jobs' first run: they mark where they start (nothing before it is news)."""
    run_jobs()


@pytest.fixture
def sara_account(org):
    return AccountFactory(owner=org.sara, name="Dach Kowalskich")


def notes_of(user, **filters) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, **filters).order_by("pk"))


@pytest.fixture
def frozen():
    """Freeze the one clock for every thread: `with frozen(at(2026, 12, 1, 9)):`."""
    return lambda moment: clock.frozen(moment, all_threads=True)
