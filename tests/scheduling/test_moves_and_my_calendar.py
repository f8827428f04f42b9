"""A drag keeps to the planning rule (no holidays, days off, booked days); my calendar, my crews."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from obieg.core import clock
from obieg.core.business_days import is_business_day
from obieg.core.errors import ApplicationError
from obieg.scheduling import availability, events
from obieg.scheduling.models import CalendarEvent
from tests.scheduling.conftest import WARSAW, at

BUSY_OR_OFF = "This crew is busy or off on those days."


@pytest.fixture
def montaz(org, crew):
    return events.event_create(
        actor=org.manager,
        crew=crew,
        title="Montaż PV",
        start=at(2026, 12, 21, 8),
        end=at(2026, 12, 21, 16),
    )


def drag(client, event, day: str, **extra):
    return client.post(
        f"/scheduling/events/{event.pk}/move/",
        {"start": f"{day}T08:00:00", "end": f"{day}T16:00:00", "revision": event.revision, **extra},
    )


@pytest.mark.parametrize(
    "day",
    [
        "2026-12-24",  # Christmas Eve, a public holiday since 2025
        "2026-04-06",  # Easter Monday
        "2026-12-19",  # a Saturday: the crew works Monday to Friday
    ],
)
def test_a_job_dragged_onto_a_day_off_is_refused_and_stays(client, org, montaz, day):
    client.force_login(org.manager)
    response = drag(client, montaz, day)
    assert response.status_code == 400
    assert response.json() == {"error": BUSY_OR_OFF}
    montaz.refresh_from_db()
    assert (montaz.start, montaz.revision) == (at(2026, 12, 21, 8), 1)


def test_a_job_dragged_onto_another_crews_booked_day_is_refused(client, org, montaz, other_crew):
    events.event_create(
        actor=org.manager,
        crew=other_crew,
        title="Serwis falownika",
        start=at(2026, 12, 22, 10),
        end=at(2026, 12, 22, 12),
    )
    client.force_login(org.manager)
    response = drag(client, montaz, "2026-12-22", crew=other_crew.pk)
    assert response.status_code == 400 and response.json()["error"] == BUSY_OR_OFF
    montaz.refresh_from_db()
    assert montaz.crew_id != other_crew.pk

    # The same crew's free day next to it is fine.
    assert drag(client, montaz, "2026-12-22").status_code == 200


def test_a_job_may_move_within_its_own_day_and_over_a_cancelled_one(org, crew, montaz):
    later = events.event_move(
        actor=org.manager, event=montaz, start=at(2026, 12, 21, 10), end=at(2026, 12, 21, 18)
    )
    assert later.start == at(2026, 12, 21, 10)  # its own booking does not block it
    gone = events.event_create(
        actor=org.manager,
        crew=crew,
        title="Odwołany",
        start=at(2026, 12, 23),
        end=at(2026, 12, 23, 16),
    )
    events.event_cancel(actor=org.manager, event=gone)
    moved = events.event_move(
        actor=org.manager, event=later, start=at(2026, 12, 23), end=at(2026, 12, 23, 16)
    )
    assert moved.start == at(2026, 12, 23)


def test_a_multi_day_job_may_span_a_weekend_but_not_start_on_a_holiday_alone(org, crew, montaz):
    # Friday to Monday holds working days and none booked: allowed, as in the planning form.
    moved = events.event_move(
        actor=org.manager, event=montaz, start=at(2027, 1, 8, 8), end=at(2027, 1, 11, 16)
    )
    assert moved.end == at(2027, 1, 11, 16)
    with pytest.raises(ApplicationError) as refused:
        events.event_move(
            actor=org.manager, event=moved, start=at(2027, 1, 6, 8), end=at(2027, 1, 6, 16)
        )  # Epiphany
    assert refused.value.message == BUSY_OR_OFF


def test_the_planning_rule_is_one_function(crew):
    assert availability.crew_is_free(crew, date(2026, 12, 21), date(2026, 12, 21))
    assert not availability.crew_is_free(crew, date(2026, 12, 24), date(2026, 12, 24))
    assert not availability.crew_is_free(crew, date(2026, 12, 26), date(2026, 12, 27))


def test_personal_events_are_not_held_to_crew_days(org):
    meeting = events.event_create(
        actor=org.sara,
        user=org.sara,
        title="Telefon",
        start=at(2026, 12, 21, 9),
        end=at(2026, 12, 21, 10),
    )
    moved = events.event_move(
        actor=org.sara, event=meeting, start=at(2026, 12, 24, 9), end=at(2026, 12, 24, 10)
    )
    assert moved.start == at(2026, 12, 24, 9)


def _coming_workday(offset_days: int) -> datetime:
    day = clock.today() + timedelta(days=offset_days)
    while not is_business_day(day):
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 8, tzinfo=WARSAW)


def test_my_calendar_shows_my_crews_work_and_my_own_events(
    client, org, installer, crew, other_crew
):
    start = _coming_workday(10)
    job = events.event_create(
        actor=org.manager,
        crew=crew,
        title="PV część dachowa — Kowalski",
        start=start,
        end=start + timedelta(hours=8),
        location="ul. Słoneczna 5, 30-001 Kraków",
    )
    not_mine = events.event_create(
        actor=org.manager,
        crew=other_crew,
        title="Elektryka — Nowak",
        start=start,
        end=start + timedelta(hours=8),
    )
    own = events.event_create(
        actor=installer,
        user=installer,
        title="Szkolenie BHP",
        start=start + timedelta(days=1),
        end=start + timedelta(days=1, hours=2),
    )
    cancelled = events.event_create(
        actor=org.manager,
        crew=crew,
        title="Odwołany montaż",
        start=start + timedelta(days=2),
        end=start + timedelta(days=2, hours=8),
    )
    events.event_cancel(actor=org.manager, event=cancelled)

    client.force_login(installer)
    html = client.get("/scheduling/me/").content.decode()
    assert f'data-event="{job.pk}"' in html and f'data-event="{own.pk}"' in html
    assert f'data-event="{not_mine.pk}"' not in html
    assert f'data-event="{cancelled.pk}"' not in html
    assert "Ekipa Dach" in html  # the crew's name beside its work
    assert "https://www.google.com/maps/dir/?api=1&amp;destination=ul.%20S%C5%82oneczna%205" in html
    assert f"/scheduling/feeds/{crew.feed_token}.ics" in html  # the crew's feed to subscribe
    assert html.index(f'data-event="{job.pk}"') < html.index(f'data-event="{own.pk}"')


def test_a_planners_calendar_is_not_the_whole_plan(client, org, crew, montaz):
    client.force_login(org.manager)
    html = client.get("/scheduling/me/").content.decode()
    assert CalendarEvent.objects.filter(crew=crew).exists()
    assert "data-event=" not in html
