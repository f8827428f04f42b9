"""The manager's settings pages: salespeople's hours, capacity, working days and absences."""

from __future__ import annotations

from datetime import date, time

from django.urls import reverse

from obieg.core import clock
from obieg.core.models import AuditEntry
from obieg.solutions.pv_salesforce import manager_settings
from obieg.solutions.pv_salesforce.call_schedule import build_call_schedules
from obieg.solutions.pv_salesforce.models_field import FieldDay
from obieg.solutions.pv_salesforce.models_queue import Absence, SellerDay
from tests.solutions.pv_salesforce.helpers import MONDAY, at, enqueue, morning

DAY = {
    "action": "day",
    "starts_at": "09:00",
    "ends_at": "15:00",
    "working_weekdays": ["0", "1", "2", "3", "4"],
    "capacity": "30",
    "minutes_per_call": "12",
    "active": "on",
}


def seller_url(person):
    return reverse("salesforce:settings_phone_seller", args=[person.pk])


def shown_of(client, person) -> str:
    """The revision of the working week the page shows ("" while the person has none)."""
    return client.get(seller_url(person)).context["day_form"]["revision"].value() or ""


def test_only_managers_open_the_settings(client, team):
    client.force_login(team.paula)
    assert client.get(reverse("salesforce:settings_phone")).status_code == 404
    assert client.get(seller_url(team.paula)).status_code == 404
    client.force_login(team.manager)
    html = client.get(reverse("salesforce:settings_phone")).content.decode()
    assert "Paula" in html and "Piotr" in html


def test_a_telephone_salespersons_day_is_changed(client, team):
    client.force_login(team.manager)
    answer = client.post(seller_url(team.paula), {**DAY, "revision": shown_of(client, team.paula)})
    assert answer.status_code == 302
    setting = SellerDay.objects.get(salesperson=team.paula)
    assert (setting.starts_at, setting.ends_at, setting.capacity, setting.minutes_per_call) == (
        time(9),
        time(15),
        30,
        12,
    )
    assert AuditEntry.objects.filter(object_id=setting.pk, changes__has_key="capacity").exists()


def test_bad_hours_are_refused_beside_their_fields(client, team):
    client.force_login(team.manager)
    shown = shown_of(client, team.paula)
    answer = client.post(
        seller_url(team.paula), {**DAY, "ends_at": "08:00", "capacity": "x", "revision": shown}
    )
    assert answer.status_code == 400
    errors = answer.context["day_form"].errors
    assert "ends_at" in errors and "capacity" in errors
    assert SellerDay.objects.get(salesperson=team.paula).capacity == 40


def test_a_change_made_meanwhile_is_not_overwritten(client, team):
    client.force_login(team.manager)
    shown = shown_of(client, team.paula)
    SellerDay.objects.filter(salesperson=team.paula).update(capacity=25, revision=2)  # another
    answer = client.post(seller_url(team.paula), {**DAY, "revision": shown})
    assert answer.status_code == 409
    assert SellerDay.objects.get(salesperson=team.paula).capacity == 25


def test_absences_are_added_changed_and_removed_after_asking(client, team):
    with morning():
        enqueue(team)
        build_call_schedules(day=MONDAY, sellers=[team.paula])
    client.force_login(team.manager)
    url = seller_url(team.paula)
    with clock.frozen(at(MONDAY, 7)):
        added = client.post(
            url,
            {
                "action": "absence",
                "absence-starts_on": "2026-03-02",
                "absence-ends_on": "2026-03-04",
                "absence-note": "urlop",
            },
            follow=True,
        )
        assert "1 calls are still planned for those days" in added.content.decode()
        overlap = client.post(
            url,
            {
                "action": "absence",
                "absence-starts_on": "2026-03-04",
                "absence-ends_on": "2026-03-06",
            },
        )
        assert overlap.status_code == 400
        assert "overlaps the absence" in overlap.content.decode()
        backwards = client.post(
            url,
            {
                "action": "absence",
                "absence-starts_on": "2026-03-09",
                "absence-ends_on": "2026-03-06",
            },
        )
        assert "ends_on" in backwards.context["absence_form"].errors
        absence = Absence.objects.get()

        edit = reverse("salesforce:settings_absence", args=[absence.pk])
        shown = client.get(edit).context["form"]["shown"].value()
        changed = client.post(
            edit,
            {"starts_on": "2026-03-03", "ends_on": "2026-03-04", "note": "urlop", "shown": shown},
        )
        assert changed.status_code == 302
        stale = client.post(
            edit, {"starts_on": "2026-03-05", "ends_on": "2026-03-05", "shown": shown}
        )
        assert stale.status_code == 409

        delete = reverse("salesforce:settings_absence_delete", args=[absence.pk])
        confirm = client.get(delete)
        assert "Remove the absence?" in confirm.content.decode()
        assert Absence.objects.exists()  # asking removes nothing
        client.post(delete, {"shown": confirm.context["shown"]})
    assert not Absence.objects.exists()
    assert AuditEntry.objects.filter(action="delete", object_id=absence.pk).exists()


def test_a_field_salesperson_is_set_up_and_changed(client, team):
    client.force_login(team.manager)
    url = reverse("salesforce:settings_field_person", args=[team.filip.pk])
    assert "not set up" in client.get(reverse("salesforce:settings_field")).content.decode()
    data = {
        "action": "day",
        "home_postal_code": "31-042",
        "day_start": "08:00",
        "day_end": "17:00",
        "working_weekdays": ["0", "2", "4"],
        "active": "on",
    }
    assert client.post(url, data).status_code == 302
    field_day = FieldDay.objects.get(user=team.filip)
    assert field_day.working_weekdays == [0, 2, 4] and field_day.revision == 1

    bad = client.post(
        url,
        {
            **data,
            "home_postal_code": "31042x",
            "day_end": "07:00",
            "working_weekdays": [],
            "revision": "1",
        },
    )
    assert bad.status_code == 400
    assert {"home_postal_code", "day_end", "working_weekdays"} <= set(
        bad.context["day_form"].errors
    )
    assert client.post(url, {**data, "active": "", "revision": "1"}).status_code == 302
    field_day.refresh_from_db()
    assert (field_day.active, field_day.revision) == (False, 2)
    stale = client.post(url, {**data, "revision": "1"})
    assert stale.status_code == 409


def test_field_absences(client, team):
    field_day = FieldDay.objects.create(user=team.filip, home_postal_code="31-042")
    client.force_login(team.manager)
    url = reverse("salesforce:settings_field_person", args=[team.filip.pk])
    with clock.frozen(at(MONDAY, 7)):
        answer = client.post(
            url,
            {
                "action": "absence",
                "absence-starts_on": "2026-03-10",
                "absence-ends_on": "2026-03-12",
                "absence-note": "szkolenie",
            },
        )
        assert answer.status_code == 302
        absence = Absence.objects.get(salesperson=field_day.user)
        assert (absence.starts_on, absence.ends_on) == (date(2026, 3, 10), date(2026, 3, 12))
        html = client.get(url).content.decode()
        assert "szkolenie" in html
        delete = reverse("salesforce:settings_absence_delete", args=[absence.pk])
        stale = client.post(delete, {"shown": "not-what-was-shown"}, follow=True)
        assert "changed this in the meantime" in stale.content.decode()
        client.post(delete, {"shown": manager_settings.fingerprint(absence)})
    assert not Absence.objects.exists()


def test_a_telephone_salesperson_off_on_a_weekday_or_inactive_gets_no_calls(client, team):
    client.force_login(team.manager)
    mondays_off = {**DAY, "working_weekdays": ["1", "2", "3", "4"]}
    client.post(seller_url(team.paula), {**mondays_off, "revision": shown_of(client, team.paula)})
    client.post(
        seller_url(team.piotr), {**DAY, "active": "", "revision": shown_of(client, team.piotr)}
    )
    with morning():
        enqueue(team)
        report = build_call_schedules(day=MONDAY)
    assert report.planned == 0
    assert set(report.absent) == {team.paula.pk, team.piotr.pk}
