"""All-day events stay all-day through push, an external change, the pull and the next push.

Against two real CalDAV servers: Radicale and Xandikos. Xandikos showed the
old defect: an all-day event came back from a re-push as a timed 00:00–00:00
event.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from obieg.scheduling import availability, calendars, events
from tests.scheduling.conftest import CREW_PASSWORD, CREW_USER, at
from tests.scheduling.helpers import edit_remote, remote_events
from tests.scheduling.helpers import sync as run_sync


@pytest.fixture(params=["radicale", "xandikos"])
def server_crew(request, org, crew):
    """The crew, connected to a calendar on each real CalDAV server in turn."""
    server = request.getfixturevalue(request.param)
    url = server.make_calendar(CREW_USER)
    with_login = request.param == "radicale"
    calendars.caldav_configure(
        actor=org.manager,
        owner=crew,
        url=url,
        username=CREW_USER if with_login else "",
        password=CREW_PASSWORD if with_login else "",
    )
    crew.refresh_from_db()
    return server, crew


def is_date(value) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def test_an_all_day_event_is_written_as_dates_and_comes_back_all_day(org, server_crew):
    server, crew = server_crew
    event = events.event_create(
        actor=org.manager,
        crew=crew,
        title="Odbiór techniczny",
        start=at(2026, 12, 14, 0),
        end=at(2026, 12, 16, 0),
        all_day=True,
    )
    assert run_sync(crew)["pushed"] == 1
    [copy] = remote_events(server, crew)
    assert copy.start == date(2026, 12, 14) and copy.end == date(2026, 12, 16)

    # The crew moves it by a day in its calendar app: still whole days.
    edit_remote(server, crew, event.uid, shift=timedelta(days=1))
    assert run_sync(crew)["pulled"] == 1
    event.refresh_from_db()
    assert event.all_day
    assert (event.start, event.end) == (at(2026, 12, 15, 0), at(2026, 12, 17, 0))

    # A change in Obieg pushes it again: dates, not midnights.
    events.event_update(actor=org.manager, event=event, data={"location": "Wadowice"})
    assert run_sync(crew)["pushed"] == 1
    [copy] = remote_events(server, crew)
    assert is_date(copy.start) and copy.start == date(2026, 12, 15)
    assert is_date(copy.end) and copy.end == date(2026, 12, 17)
    assert str(copy["location"]) == "Wadowice"


def test_a_timed_job_made_all_day_in_the_crews_calendar_stays_all_day_after_a_re_push(
    org, server_crew
):
    server, crew = server_crew
    event = events.event_create(
        actor=org.manager,
        crew=crew,
        title="Montaż PV – Lis",
        start=at(2026, 12, 9, 8),
        end=at(2026, 12, 9, 16),
    )
    run_sync(crew)
    edit_remote(server, crew, event.uid, all_day=True)

    run_sync(crew)
    event.refresh_from_db()
    assert event.all_day and (event.start, event.end) == (at(2026, 12, 9, 0), at(2026, 12, 10, 0))
    (row,) = availability.crews_availability([crew], date(2026, 12, 9), date(2026, 12, 10))
    assert [day.state for day in row.days] == ["busy", "free"]  # the next day stays free

    events.event_update(actor=org.manager, event=event, data={"title": "Montaż PV – Lis (2)"})
    run_sync(crew)
    [copy] = remote_events(server, crew)
    assert is_date(copy.start) and copy.start == date(2026, 12, 9)
    assert copy.end == date(2026, 12, 10)
    # And nothing changed on the next round: no ping-pong between the two sides.
    assert run_sync(crew)["pulled"] == 0
