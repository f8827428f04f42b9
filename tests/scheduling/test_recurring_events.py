"""Obieg's own repeating events: a weekly crew meeting in feeds, CalDAV, availability, the board."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
import recurring_ical_events
from rest_framework.test import APIClient

from obieg.core import clock
from obieg.scheduling import availability, events, recurrence
from obieg.scheduling.feeds import feed_ics
from tests.scheduling.conftest import at
from tests.scheduling.helpers import remote_events
from tests.scheduling.helpers import sync as run_sync


def weekly_meeting(org, crew, *, until=date(2027, 7, 31)):
    """Mondays 7:00–8:00 from 7 December 2026 (winter) into the summer of 2027."""
    return events.event_create(
        actor=org.manager,
        crew=crew,
        title="Odprawa ekipy",
        start=at(2026, 12, 7, 7),
        end=at(2026, 12, 7, 8),
        rrule=recurrence.build("weekly", until=until),
    )


def test_a_weekly_meeting_keeps_its_hour_in_winter_and_summer_in_the_feed(org, crew):
    meeting = weekly_meeting(org, crew)
    assert meeting.series_end == at(2027, 7, 26, 8)  # the last Monday before the end date

    cal = icalendar.Calendar.from_ical(feed_ics(crew))
    [component] = cal.walk("VEVENT")
    assert component["rrule"]["FREQ"] == ["WEEKLY"]
    found = recurring_ical_events.of(cal).between(date(2027, 1, 4), date(2027, 7, 6))
    starts = [occurrence.start for occurrence in found]
    assert starts[0] == at(2027, 1, 4, 7) and starts[0].utcoffset() == timedelta(hours=1)
    assert starts[-1] == at(2027, 7, 5, 7) and starts[-1].utcoffset() == timedelta(hours=2)
    assert len(starts) == 27


def test_the_meeting_takes_its_mondays_in_availability_and_on_the_board(client, org, crew):
    weekly_meeting(org, crew)
    (row,) = availability.crews_availability([crew], date(2027, 2, 1), date(2027, 2, 12))
    busy = [day.day for day in row.days if day.state == "busy"]
    assert busy == [date(2027, 2, 1), date(2027, 2, 8)]

    client.force_login(org.manager)
    data = client.get(
        "/scheduling/events.json", {"start": "2027-02-01T00:00:00", "end": "2027-02-15T00:00:00"}
    ).json()
    meetings = [item for item in data if item["title"] == "Odprawa ekipy"]
    assert [item["start"] for item in meetings] == ["2027-02-01T07:00:00", "2027-02-08T07:00:00"]
    # A series is changed on its page, not dragged: a drag would move every Monday.
    assert all(item["editable"] is False for item in meetings)


def test_a_series_ended_earlier_no_longer_takes_later_days(org, crew):
    weekly_meeting(org, crew, until=date(2027, 1, 31))
    (row,) = availability.crews_availability([crew], date(2027, 2, 1), date(2027, 2, 1))
    assert row.days[0].state == "free"


def test_the_series_goes_to_the_crews_calendar_as_one_repeating_event(org, synced_crew, radicale):
    weekly_meeting(org, synced_crew)
    assert run_sync(synced_crew)["pushed"] == 1
    [copy] = remote_events(radicale, synced_crew)
    assert copy["rrule"]["FREQ"] == ["WEEKLY"] and "UNTIL" in copy["rrule"]
    # Its occurrences are Obieg's plan, not the crew's own appointments.
    assert run_sync(synced_crew)["external"] == 0


def test_the_planning_form_plans_a_repeating_all_day_event(client, org, crew):
    client.force_login(org.manager)
    response = client.post(
        "/scheduling/events/new/",
        {
            "crew": crew.pk,
            "title": "Szkolenie BHP",
            "start": "2027-03-01T00:00",
            "end": "2027-03-01T00:00",
            "all_day": "on",
            "status": "confirmed",
            "repeat": "monthly",
            "repeat_until": "2027-06-30",
        },
    )
    assert response.status_code == 302, response.content.decode()
    event = crew.events.get()
    assert event.all_day and (event.start, event.end) == (at(2027, 3, 1, 0), at(2027, 3, 2, 0))
    assert event.rrule == "FREQ=MONTHLY;UNTIL=20270630"
    assert event.series_end == at(2027, 6, 2, 0)
    page = client.get(f"/scheduling/events/{event.pk}/").content.decode()
    assert 'id="event-repeats"' in page


def test_rules_obieg_does_not_repeat_by_are_refused(org, crew):
    api = APIClient()
    api.force_authenticate(org.manager)
    base = {
        "crew": crew.pk,
        "title": "Odprawa",
        "start": "2027-01-04T07:00:00+01:00",
        "end": "2027-01-04T08:00:00+01:00",
    }
    refused = (
        "FREQ=HOURLY",
        "FREQ=WEEKLY;COUNT=5000",
        "NOT A RULE",
        "FREQ=DAILY;BYHOUR=5",
        "FREQ=WEEKLY;INTERVAL=0",  # dateutil would loop for ever
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",  # never: walked day by day to year 9999
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    )
    for rule in refused:
        response = api.post("/api/scheduling/events/", {**base, "rrule": rule}, format="json")
        assert response.status_code == 400, rule
    good = api.post(
        "/api/scheduling/events/", {**base, "rrule": "FREQ=WEEKLY;COUNT=3"}, format="json"
    )
    assert good.status_code == 201 and good.json()["rrule"] == "FREQ=WEEKLY;COUNT=3"


def test_my_calendar_lists_each_coming_occurrence(client, org, crew, installer):
    today = clock.today()
    monday = today + timedelta(days=7 - today.weekday())
    events.event_create(
        actor=org.manager,
        crew=crew,
        title="Odprawa ekipy",
        start=at(monday.year, monday.month, monday.day, 7),
        end=at(monday.year, monday.month, monday.day, 8),
        rrule="FREQ=WEEKLY;COUNT=3",
    )
    client.force_login(installer)
    page = client.get("/scheduling/me/").content.decode()
    assert page.count("Odprawa ekipy") == 3
    assert f'data-day="{monday + timedelta(days=14)}"' in page
