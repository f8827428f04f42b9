"""Private iCalendar feeds: valid RFC 5545 that calendar apps subscribe to, revocable."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import icalendar
import recurring_ical_events
from django.urls import reverse

from obieg.core import clock
from obieg.scheduling import calendars, crews, events
from tests.scheduling.conftest import WARSAW


def local_day(days_ahead: int, hour: int) -> datetime:
    day = clock.today() + timedelta(days=days_ahead)
    return datetime.combine(day, time(hour), tzinfo=WARSAW)


def feed_url(owner) -> str:
    return reverse("scheduling:feed", args=[owner.feed_token])


def test_a_crew_feed_is_valid_icalendar_in_warsaw_time(client, org, crew):
    # Six months apart, so one of them is in summer time and the other is not.
    winter = events.event_create(
        actor=org.manager,
        crew=crew,
        title="Montaż – Łódź, ul. Żeromskiego",
        start=local_day(10, 8),
        end=local_day(10, 16),
        location="Łódź",
        description="Dach skośny; zabrać rusztowanie.",
    )
    summer = events.event_create(
        actor=org.manager,
        crew=crew,
        title="Przegląd",
        start=local_day(190, 7),
        end=local_day(190, 9),
    )
    cancelled = events.event_create(
        actor=org.manager, crew=crew, title="Odwołany", start=local_day(11, 8), end=local_day(11, 9)
    )
    events.event_cancel(actor=org.manager, event=cancelled)

    response = client.get(feed_url(crew))  # no log-in: calendar apps cannot log in
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = icalendar.Calendar.from_ical(response.content)
    assert (str(cal["version"]), str(cal["method"])) == ("2.0", "PUBLISH")
    assert str(cal["x-wr-calname"]) == "Ekipa Dach · Obieg"
    [vtimezone] = cal.walk("VTIMEZONE")
    assert str(vtimezone["tzid"]) == "Europe/Warsaw"
    # The VTIMEZONE itself gives the right offsets, for clients that do not know the zone name.
    tz = vtimezone.to_tz()
    for event in (winter, summer):
        local = event.start.astimezone(WARSAW).replace(tzinfo=None)
        assert tz.utcoffset(local) == event.start.astimezone(WARSAW).utcoffset()

    vevents = {str(item["uid"]): item for item in cal.walk("VEVENT")}
    assert set(vevents) == {winter.uid, summer.uid}
    item = vevents[winter.uid]
    assert str(item["summary"]) == "Montaż – Łódź, ul. Żeromskiego"
    assert item["dtstart"].params["TZID"] == "Europe/Warsaw"
    assert item.start == winter.start and item.end == winter.end
    assert "DTSTAMP" in item and str(item["status"]) == "TENTATIVE"

    found = recurring_ical_events.of(cal).between(local_day(0, 0), local_day(400, 0))
    assert sorted(str(found_event["uid"]) for found_event in found) == sorted(
        [winter.uid, summer.uid]
    )
    starts = {str(found_event["uid"]): found_event.start for found_event in found}
    assert starts[summer.uid] == summer.start


def test_revoking_the_feed_url_cuts_off_every_subscriber(client, org, crew):
    old = feed_url(crew)
    calendars.feed_token_rotate(actor=org.manager, owner=crew)
    crew.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(feed_url(crew)).status_code == 200


def test_an_unknown_or_inactive_feed_is_not_found(client, org, crew):
    assert client.get("/scheduling/feeds/" + "x" * 43 + ".ics").status_code == 404
    crews.crew_update(actor=org.manager, crew=crew, data={"active": False})
    assert client.get(feed_url(crew)).status_code == 404


def test_a_personal_feed_carries_the_persons_own_meetings(client, org, crew):
    meeting = events.event_create(
        actor=org.sara,
        user=org.sara,
        title="Spotkanie u klienta",
        start=local_day(3, 10),
        end=local_day(3, 11),
    )
    events.event_create(
        actor=org.manager, crew=crew, title="Montaż", start=local_day(3, 8), end=local_day(3, 16)
    )
    own = calendars.personal_calendar(org.sara)
    cal = icalendar.Calendar.from_ical(client.get(feed_url(own)).content)
    assert [str(item["uid"]) for item in cal.walk("VEVENT")] == [meeting.uid]


def test_an_empty_feed_is_still_valid(client, org, crew):
    cal = icalendar.Calendar.from_ical(client.get(feed_url(crew)).content)
    assert cal.walk("VEVENT") == []
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Warsaw"]
    assert recurring_ical_events.of(cal).between(local_day(0, 0), local_day(30, 0)) == []
