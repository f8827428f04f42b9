"""The calendar API: crews, events (create, move, cancel, history) and access."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from obieg.scheduling.models import CalendarEvent, Crew


@pytest.fixture
def as_user():
    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


def test_a_planner_creates_moves_and_cancels_an_event(as_user, org, crew):
    api = as_user(org.manager)
    created = api.post(
        "/api/scheduling/events/",
        {
            "crew": crew.pk,
            "title": "Montaż PV",
            "start": "2026-12-01T08:00:00+01:00",
            "end": "2026-12-01T16:00:00+01:00",
            "location": "Kraków",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["uid"].endswith("@obieg") and body["status"] == "planned" and body["revision"] == 1
    url = f"/api/scheduling/events/{body['id']}/"

    moved = api.patch(
        url,
        {"start": "2026-12-02T08:00:00+01:00", "end": "2026-12-02T16:00:00+01:00", "revision": 1},
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["sequence"] == 1
    stale = api.patch(url, {"location": "Tarnów", "revision": 1}, format="json")
    assert stale.status_code == 409

    assert api.delete(url).status_code == 204
    assert CalendarEvent.objects.get().status == CalendarEvent.Status.CANCELLED
    history = api.get(url + "history/").json()["results"]
    assert [entry["action"] for entry in history] == ["update", "update", "create"]


def test_an_event_can_be_tied_to_a_business_record(as_user, org, crew):
    from tests.factories import AccountFactory

    account = AccountFactory(owner=org.sara)
    api = as_user(org.manager)
    created = api.post(
        "/api/scheduling/events/",
        {
            "crew": crew.pk,
            "title": "Audyt",
            "start": "2026-12-01T08:00:00Z",
            "end": "2026-12-01T09:00:00Z",
            "subject_type": "crm.account",
            "subject_id": account.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["subject_type"] == "crm.account"
    listed = api.get(
        "/api/scheduling/events/", {"subject_type": "crm.account", "subject_id": account.pk}
    )
    assert len(listed.json()["results"]) == 1
    missing = api.post(
        "/api/scheduling/events/",
        {
            "crew": crew.pk,
            "title": "x",
            "start": "2026-12-01T08:00:00Z",
            "end": "2026-12-01T09:00:00Z",
            "subject_type": "crm.account",
            "subject_id": 999999,
        },
        format="json",
    )
    assert missing.status_code == 400 and "subject_id" in missing.json()


def test_an_installer_reads_the_crews_plan_but_cannot_change_it(
    as_user, org, installer, crew, other_crew
):
    from obieg.scheduling import events
    from tests.scheduling.conftest import at

    mine = events.event_create(
        actor=org.manager, crew=crew, title="A", start=at(2026, 12, 1), end=at(2026, 12, 1, 9)
    )
    theirs = events.event_create(
        actor=org.manager, crew=other_crew, title="B", start=at(2026, 12, 1), end=at(2026, 12, 1, 9)
    )
    api = as_user(installer)
    listed = api.get("/api/scheduling/events/").json()["results"]
    assert [item["id"] for item in listed] == [mine.pk]
    assert api.get(f"/api/scheduling/events/{theirs.pk}/").status_code == 404
    assert (
        api.patch(
            f"/api/scheduling/events/{mine.pk}/", {"title": "Z", "revision": 1}, format="json"
        ).status_code
        == 403
    )
    crews_seen = api.get("/api/scheduling/crews/").json()["results"]
    assert [item["name"] for item in crews_seen] == ["Ekipa Dach"]
    assert crews_seen[0]["feed_url"].startswith("http://testserver/scheduling/feeds/")


def test_a_planner_manages_crews_and_never_sees_credentials(as_user, org, installer, roof):
    api = as_user(org.manager)
    created = api.post(
        "/api/scheduling/crews/",
        {
            "name": "Ekipa Nowa",
            "kind": "subcontractor",
            "members": [installer.pk],
            "skills": ["roof"],
            "working_weekdays": [0, 1, 2, 3, 4, 5],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["skills"] == ["roof"] and created.json()["caldav"] is None
    bad = api.post(
        "/api/scheduling/crews/", {"name": "Zła", "working_weekdays": [7]}, format="json"
    )
    assert bad.status_code == 400
    crew = Crew.objects.get(name="Ekipa Nowa")
    changed = api.patch(
        f"/api/scheduling/crews/{crew.pk}/", {"colour": "#00aa00", "revision": 1}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["colour"] == "#00aa00"
    assert "password" not in str(changed.json())
    assert (
        as_user(org.sara).post("/api/scheduling/crews/", {"name": "X"}, format="json").status_code
        == 403
    )


def test_the_schema_describes_the_calendar_endpoints(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in [
        "/api/scheduling/crews/",
        "/api/scheduling/events/{id}/history/",
        "/api/scheduling/availability/",
    ]:
        assert path in schema["paths"], path


def test_availability_keeps_the_crews_with_every_skill_asked_for(as_user, org, crew, other_crew):
    api = as_user(org.manager)

    def names(skills: str) -> list[str]:
        query = {"start": "2026-12-21", "end": "2026-12-23", "skills": skills}
        response = api.get("/api/scheduling/availability/", query)
        assert response.status_code == 200, response.json()
        return sorted(row["name"] for row in response.json())

    assert names("electrical") == ["Ekipa Dach", "Elektro-Serwis"]  # both, once each
    assert names("roof, electrical") == ["Ekipa Dach"]
    assert names("roof,nonexistent") == []
