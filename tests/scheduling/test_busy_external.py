"""Busy is busy: appointments in a crew's own calendar count in availability and on the board."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urljoin

import pytest

from obieg.core import clock
from obieg.core.errors import ApplicationError
from obieg.scheduling import availability, calendars, events, selectors
from obieg.scheduling.models import BusyTime, ExternalItem
from tests.scheduling.conftest import CREW_USER, at
from tests.scheduling.helpers import sync as run_sync


def monday_in(weeks: int) -> date:
    """A Monday some weeks ahead starting four weeks without a public holiday.

    Relative to today: busy time is kept for the planning horizon from today.
    """
    today = clock.today()
    monday = today + timedelta(days=7 * weeks - today.weekday())
    while any(availability.public_holiday(monday + timedelta(days=n)) for n in range(28)):
        monday += timedelta(days=7)
    return monday


def stamp(day: date, hour: int) -> str:
    return f"{day:%Y%m%d}T{hour:02d}0000"


def series(first_tuesday: date) -> str:
    """The subcontractor's own weekly appointment, one week skipped, one moved to Thursday."""
    skipped = first_tuesday + timedelta(days=7)
    moved = first_tuesday + timedelta(days=14)
    return f"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Kowalski//Telefon//PL
BEGIN:VEVENT
UID:own-series@kowalski.example
DTSTAMP:20261101T120000Z
DTSTART;TZID=Europe/Warsaw:{stamp(first_tuesday, 9)}
DTEND;TZID=Europe/Warsaw:{stamp(first_tuesday, 11)}
RRULE:FREQ=WEEKLY;COUNT=4
EXDATE;TZID=Europe/Warsaw:{stamp(skipped, 9)}
SUMMARY:Dentysta
END:VEVENT
BEGIN:VEVENT
UID:own-series@kowalski.example
DTSTAMP:20261101T120000Z
RECURRENCE-ID;TZID=Europe/Warsaw:{stamp(moved, 9)}
DTSTART;TZID=Europe/Warsaw:{stamp(moved + timedelta(days=2), 9)}
DTEND;TZID=Europe/Warsaw:{stamp(moved + timedelta(days=2), 11)}
SUMMARY:Dentysta
END:VEVENT
END:VCALENDAR
"""


def single(uid: str, day: date, *, extra: str = "", all_day: bool = False) -> str:
    if all_day:
        times = (
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}\nDTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}"
        )
    else:
        zone = "TZID=Europe/Warsaw"
        times = f"DTSTART;{zone}:{stamp(day, 13)}\nDTEND;{zone}:{stamp(day, 14)}"
    return (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Kowalski//Telefon//PL\nBEGIN:VEVENT\n"
        f"UID:{uid}\nDTSTAMP:20261101T120000Z\n{times}\n{extra}SUMMARY:Prywatne\n"
        "END:VEVENT\nEND:VCALENDAR\n"
    )


def put_own(radicale, crew, name: str, ics: str, user: str = CREW_USER) -> str:
    crew.refresh_from_db()
    href = urljoin(crew.caldav.url, name)
    response = radicale.client(user).put(href, ics, {"Content-Type": "text/calendar"})
    assert response.status in (200, 201, 204)
    return href


def states(crew, first: date, last: date) -> dict[date, tuple[str, bool]]:
    (row,) = availability.crews_availability([crew], first, last)
    return {day.day: (day.state, day.external) for day in row.days}


def test_a_recurring_own_appointment_with_its_exceptions_makes_the_crew_busy(
    org, synced_crew, radicale
):
    monday = monday_in(2)
    tuesday = monday + timedelta(days=1)
    put_own(radicale, synced_crew, "own-series.ics", series(tuesday))

    assert run_sync(synced_crew)["external"] == 1
    days = states(synced_crew, monday, monday + timedelta(days=25))
    assert days[tuesday] == ("busy", True)
    assert days[tuesday + timedelta(days=7)] == ("free", False)  # EXDATE
    assert days[tuesday + timedelta(days=14)] == ("free", False)  # moved away …
    assert days[tuesday + timedelta(days=16)] == ("busy", True)  # … to Thursday
    assert days[tuesday + timedelta(days=21)] == ("busy", True)
    assert BusyTime.objects.count() == 3
    # Only times are kept: the crew's private titles stay in its calendar.
    assert "Dentysta" not in str(list(BusyTime.objects.values()))
    assert not availability.crew_is_free(synced_crew, tuesday, tuesday)
    assert availability.crew_is_free(synced_crew, monday, monday)
    # Obieg never touched the appointment.
    assert run_sync(synced_crew)["external"] == 0


def test_the_board_shows_own_appointments_greyed_and_a_job_cannot_land_on_them(
    client, org, synced_crew, radicale
):
    monday = monday_in(2)
    tuesday = monday + timedelta(days=1)
    put_own(radicale, synced_crew, "own-series.ics", series(tuesday))
    job = events.event_create(
        actor=org.manager,
        crew=synced_crew,
        title="Montaż PV – Zając",
        start=at(monday.year, monday.month, monday.day, 8),
        end=at(monday.year, monday.month, monday.day, 16),
    )
    run_sync(synced_crew)

    client.force_login(org.manager)
    data = client.get(
        "/scheduling/events.json",
        {"start": f"{monday}T00:00:00", "end": f"{monday + timedelta(days=7)}T00:00:00"},
    ).json()
    [busy] = [item for item in data if item["id"].startswith("busy-")]
    assert busy["title"] == "Busy (own calendar)" and busy["classNames"] == ["obieg-busy"]
    assert busy["editable"] is False and busy["startEditable"] is False
    assert busy["start"] == f"{tuesday}T09:00:00" and busy["resourceIds"] == [str(synced_crew.pk)]
    assert "Dentysta" not in str(data)

    response = client.post(
        f"/scheduling/events/{job.pk}/move/",
        {"start": f"{tuesday}T08:00:00", "end": f"{tuesday}T16:00:00", "revision": job.revision},
    )
    assert response.status_code == 400
    assert "busy" in response.json()["error"]


def test_free_cancelled_and_deleted_appointments_are_not_busy_and_all_day_ones_are(
    org, synced_crew, radicale
):
    monday = monday_in(3)
    put_own(
        radicale, synced_crew, "free.ics", single("free@k", monday, extra="TRANSP:TRANSPARENT\n")
    )
    put_own(
        radicale,
        synced_crew,
        "cancelled.ics",
        single("cancelled@k", monday + timedelta(days=1), extra="STATUS:CANCELLED\n"),
    )
    put_own(
        radicale,
        synced_crew,
        "holiday.ics",
        single("off@k", monday + timedelta(days=2), all_day=True),
    )
    lunch = put_own(
        radicale, synced_crew, "lunch.ics", single("lunch@k", monday + timedelta(days=3))
    )
    run_sync(synced_crew)

    days = states(synced_crew, monday, monday + timedelta(days=4))
    assert days[monday] == ("free", False)
    assert days[monday + timedelta(days=1)] == ("free", False)
    assert days[monday + timedelta(days=2)] == ("busy", True)
    assert days[monday + timedelta(days=3)] == ("busy", True)
    [whole_day] = BusyTime.objects.filter(all_day=True)
    assert whole_day.end - whole_day.start == timedelta(days=1)

    # Deleted in the crew's calendar: free again after the next sync.
    assert radicale.client(CREW_USER).delete(lunch).status in (200, 204)
    run_sync(synced_crew)
    assert states(synced_crew, monday, monday + timedelta(days=4))[monday + timedelta(days=3)] == (
        "free",
        False,
    )
    assert not ExternalItem.objects.filter(uid="lunch@k").exists()


def test_a_changed_appointment_is_read_again(org, synced_crew, radicale):
    monday = monday_in(2)
    put_own(radicale, synced_crew, "lunch.ics", single("lunch@k", monday))
    run_sync(synced_crew)
    put_own(radicale, synced_crew, "lunch.ics", single("lunch@k", monday + timedelta(days=2)))
    assert run_sync(synced_crew)["external"] == 1
    days = states(synced_crew, monday, monday + timedelta(days=2))
    assert days[monday] == ("free", False) and days[monday + timedelta(days=2)] == ("busy", True)


def test_a_series_without_end_is_expanded_further_as_the_horizon_moves(
    settings, org, synced_crew, radicale
):
    settings.SCHEDULING_BUSY_HORIZON_DAYS = 30
    today = clock.today()
    monday = today + timedelta(days=7 - today.weekday())  # next Monday, holiday or not
    weekly = single("weekly@k", monday, extra="RRULE:FREQ=WEEKLY\n")
    put_own(radicale, synced_crew, "weekly.ics", weekly)
    run_sync(synced_crew)
    first = BusyTime.objects.count()
    assert 4 <= first <= 5

    settings.SCHEDULING_BUSY_HORIZON_DAYS = 120  # as if three months had passed
    assert run_sync(synced_crew)["external"] == 0  # nothing fetched again …
    assert BusyTime.objects.count() >= first + 8  # … yet the series reaches further
    later = monday + timedelta(days=63)
    while availability.public_holiday(later):  # a Monday the crew works (not Easter Monday)
        later += timedelta(days=7)
    assert states(synced_crew, later, later)[later] == ("busy", True)


def test_a_persons_own_appointments_are_their_busy_time(org, radicale):
    url = radicale.make_calendar("ekipa2", "Sara")
    own = calendars.personal_calendar(org.sara)
    calendars.caldav_configure(
        actor=org.sara, owner=own, url=url, username="ekipa2", password="haslo-2"
    )
    own.refresh_from_db()
    monday = monday_in(2)
    put_own(radicale, own, "dentist.ics", single("d@sara", monday), user="ekipa2")
    run_sync(own)
    start = at(monday.year, monday.month, monday.day, 0)
    [busy] = selectors.busy_times(start, start + timedelta(days=1), user=org.sara)
    assert busy.start == at(monday.year, monday.month, monday.day, 13)
    assert not selectors.busy_times(start, start + timedelta(days=1), crews=[]).exists()


def test_a_job_planned_on_a_day_with_an_own_appointment_is_refused(org, synced_crew, radicale):
    monday = monday_in(2)
    put_own(radicale, synced_crew, "lunch.ics", single("lunch@k", monday))
    run_sync(synced_crew)
    job = events.event_create(
        actor=org.manager,
        crew=synced_crew,
        title="Montaż",
        start=at(2027, 3, 2, 8),
        end=at(2027, 3, 2, 16),
    )
    with pytest.raises(ApplicationError):
        events.event_move(
            actor=org.manager,
            event=job,
            start=at(monday.year, monday.month, monday.day, 8),
            end=at(monday.year, monday.month, monday.day, 16),
        )
