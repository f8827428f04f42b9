"""Feeds say Europe/Warsaw so that every common parser reads winter and summer time right.

`vobject` read the earlier VTIMEZONE (its DST starts as one multi-value
RDATE) wrongly: a July event came out at +01:00. The zone is now written
with yearly rules (RRULE) in its STANDARD and DAYLIGHT components.
"""

from __future__ import annotations

from datetime import timedelta

import icalendar
import vobject

from obieg.scheduling import events, ical
from obieg.scheduling.feeds import feed_ics
from tests.scheduling.conftest import at


def plan_winter_and_summer(org, crew):
    for day in (at(2027, 1, 12, 8), at(2027, 7, 13, 8), at(2028, 7, 11, 8)):
        events.event_create(
            actor=org.manager,
            crew=crew,
            title=f"Montaż {day:%d.%m.%Y}",
            start=day,
            end=day + timedelta(hours=8),
        )


def test_icalendar_reads_winter_and_summer_offsets_from_the_feed(org, crew):
    plan_winter_and_summer(org, crew)
    cal = icalendar.Calendar.from_ical(feed_ics(crew))
    offsets = [component.start.utcoffset() for component in cal.walk("VEVENT")]
    assert offsets == [timedelta(hours=1), timedelta(hours=2), timedelta(hours=2)]


def test_vobject_reads_winter_and_summer_offsets_from_the_feed(org, crew):
    plan_winter_and_summer(org, crew)
    cal = vobject.readOne(feed_ics(crew).decode())
    starts = [component.dtstart.value for component in cal.vevent_list]
    assert [start.utcoffset() for start in starts] == [
        timedelta(hours=1),
        timedelta(hours=2),
        timedelta(hours=2),
    ]
    assert [start.hour for start in starts] == [8, 8, 8]
    # The very instant, not only the offset: 8:00 in Warsaw in July 2028 is 6:00 UTC.
    assert starts[2] == at(2028, 7, 11, 8)


def test_the_zone_is_written_with_yearly_rules_not_a_list_of_dates(org, crew):
    plan_winter_and_summer(org, crew)
    cal = icalendar.Calendar.from_ical(feed_ics(crew))
    [zone] = cal.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/Warsaw"
    parts = {component.name: component for component in zone.subcomponents}
    assert parts["DAYLIGHT"]["rrule"]["BYMONTH"] == [3]
    assert parts["DAYLIGHT"]["rrule"]["BYDAY"] == ["-1SU"]
    assert parts["STANDARD"]["rrule"]["BYMONTH"] == [10]
    assert "RDATE" not in zone.to_ical().decode()


def test_a_caldav_object_carries_the_same_zone(org, crew):
    event = events.event_create(
        actor=org.manager,
        crew=crew,
        title="Montaż",
        start=at(2027, 8, 3, 8),
        end=at(2027, 8, 3, 16),
    )
    text = ical.event_ics(event, stamp=at(2027, 1, 1, 0))
    start = vobject.readOne(text).vevent.dtstart.value
    assert start == at(2027, 8, 3, 8) and start.utcoffset() == timedelta(hours=2)
