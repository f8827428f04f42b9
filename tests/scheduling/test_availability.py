"""Which crews are free: events, working days and Polish public holidays."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from obieg.core.errors import ApplicationError
from obieg.scheduling import availability, crews, events
from obieg.scheduling.availability import DayState
from obieg.scheduling.models import Crew
from tests.scheduling.conftest import at


def states(crew, start, end) -> dict[date, str]:
    [row] = availability.crews_availability([crew], start, end)
    return {day.day: day.state for day in row.days}


def test_christmas_eve_2026_is_a_public_holiday_for_every_crew(crew):
    [row] = availability.crews_availability([crew], date(2026, 12, 21), date(2026, 12, 27))
    days = {day.day: day for day in row.days}
    assert days[date(2026, 12, 24)].state == DayState.HOLIDAY  # a Thursday, a holiday since 2025
    assert days[date(2026, 12, 24)].holiday == "Wigilia Bożego Narodzenia"
    assert days[date(2026, 12, 25)].state == DayState.HOLIDAY
    assert [days[date(2026, 12, d)].state for d in (21, 22, 23)] == [DayState.FREE] * 3
    assert days[date(2026, 12, 27)].state == DayState.DAY_OFF  # an ordinary Sunday
    assert row.free


def test_easter_monday_is_not_a_working_day(crew):
    found = states(crew, date(2026, 4, 3), date(2026, 4, 7))
    assert found[date(2026, 4, 6)] == DayState.HOLIDAY
    assert found[date(2026, 4, 3)] == DayState.FREE  # Good Friday is a working day in Poland
    assert found[date(2026, 4, 7)] == DayState.FREE


def test_a_crew_working_saturdays_still_rests_on_a_saturday_holiday(org, crew):
    crews.crew_update(actor=org.manager, crew=crew, data={"working_weekdays": [0, 1, 2, 3, 4, 5]})
    crew.refresh_from_db()
    assert states(crew, date(2026, 12, 19), date(2026, 12, 19)) == {date(2026, 12, 19): "free"}
    assert states(crew, date(2026, 8, 15), date(2026, 8, 15)) == {date(2026, 8, 15): "holiday"}


def test_a_day_with_work_is_busy_and_the_crew_not_free(org, crew, other_crew):
    events.event_create(
        actor=org.manager,
        crew=crew,
        title="Montaż",
        start=at(2026, 12, 22, 8),
        end=at(2026, 12, 23, 12),
    )
    found = states(crew, date(2026, 12, 21), date(2026, 12, 23))
    assert found == {
        date(2026, 12, 21): "free",
        date(2026, 12, 22): "busy",
        date(2026, 12, 23): "busy",
    }
    everyone = Crew.objects.all()
    assert availability.free_crews(everyone, date(2026, 12, 21), date(2026, 12, 23)) == [other_crew]
    later = availability.free_crews(everyone, date(2026, 12, 28), date(2026, 12, 30))
    assert later == [crew, other_crew]  # by name


def test_skills_narrow_the_free_crews(crew, other_crew):
    everyone = Crew.objects.all()
    free = availability.free_crews(
        everyone, date(2026, 12, 21), date(2026, 12, 23), skills=["roof"]
    )
    assert free == [crew]
    both = availability.free_crews(
        everyone, date(2026, 12, 21), date(2026, 12, 23), skills=["roof", "electrical"]
    )
    assert both == [crew]


def test_an_event_ending_at_midnight_leaves_the_next_day_free(org, crew):
    events.event_create(
        actor=org.manager,
        crew=crew,
        title="Do północy",
        start=at(2026, 12, 21, 18),
        end=at(2026, 12, 22, 0),
    )
    assert states(crew, date(2026, 12, 21), date(2026, 12, 22)) == {
        date(2026, 12, 21): "busy",
        date(2026, 12, 22): "free",
    }


def test_a_cancelled_event_frees_its_day(org, crew):
    event = events.event_create(
        actor=org.manager,
        crew=crew,
        title="Montaż",
        start=at(2026, 12, 21, 8),
        end=at(2026, 12, 21, 16),
    )
    events.event_cancel(actor=org.manager, event=event)
    assert states(crew, date(2026, 12, 21), date(2026, 12, 21)) == {date(2026, 12, 21): "free"}


def test_a_period_over_a_year_is_refused(crew):
    with pytest.raises(ApplicationError):
        availability.crews_availability([crew], date(2026, 1, 1), date(2027, 6, 1))
    with pytest.raises(ApplicationError):
        availability.crews_availability([crew], date(2026, 2, 1), date(2026, 1, 1))


def test_the_api_answers_availability_with_holidays(org, crew, other_crew):
    client = APIClient()
    client.force_authenticate(org.manager)
    response = client.get(
        "/api/scheduling/availability/",
        {"start": "2026-12-23", "end": "2026-12-24", "skills": "roof"},
    )
    assert response.status_code == 200
    [row] = response.json()
    assert row["name"] == "Ekipa Dach" and row["free"] is True
    assert row["days"][1] == {
        "day": "2026-12-24",
        "state": "holiday",
        "holiday": "Wigilia Bożego Narodzenia",
        "events": [],
        "external": False,
    }
    bad = client.get("/api/scheduling/availability/", {"start": "2026-12-24", "end": "2026-01-01"})
    assert bad.status_code == 400
