"""The coordinator's deadlines as an iCalendar feed: all-day events, stable UIDs, a signed token."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
from django.urls import reverse

from obieg.solutions.grants import feeds
from obieg.solutions.grants.models import Obligation
from tests.solutions.grants.helpers import make_project
from tests.solutions.grants.test_pages import TODAY, add_claim, add_payment, add_report


def events(response) -> dict[str, icalendar.Event]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in cal.walk("VEVENT")}


def test_the_feed_has_each_open_obligation_of_the_coordinators_projects(client, institution):
    project = make_project(institution)
    claim = add_claim(project, date(2026, 12, 31))
    report = add_report(project, TODAY)
    add_payment(project, TODAY - timedelta(days=30), state=Obligation.State.DONE)
    add_claim(make_project(institution, coordinator=institution.other_coordinator), TODAY)
    url = reverse("grants:deadline_feed", args=[feeds.token_for(institution.coordinator)])

    found = events(client.get(url))  # no log-in: calendar apps cannot

    assert set(found) == {
        f"grants-obligation-{claim.pk}@obieg",
        f"grants-obligation-{report.pk}@obieg",
    }
    event = found[f"grants-obligation-{claim.pk}@obieg"]
    # All day: a DATE start and the next day as the (exclusive) end.
    assert event.decoded("dtstart") == date(2026, 12, 31)
    assert event.decoded("dtend") == date(2027, 1, 1)
    assert str(event["summary"]) == f"WoP 1 · {project.number}"
    assert str(event["url"]).endswith(reverse("grants:project", args=[project.pk]))
    # The same UIDs the next time, so subscribers update rather than duplicate.
    assert set(events(client.get(url))) == set(found)


def test_a_bad_or_altered_token_answers_404(client, institution):
    add_claim(make_project(institution), TODAY)
    token = feeds.token_for(institution.coordinator)
    pk, signature = token.split(":", 1)
    forged = f"{institution.other_coordinator.pk}:{signature}"
    for bad in ("nonsense", forged, token[:-2], feeds.token_for(institution.coordinator) + "x"):
        assert client.get(reverse("grants:deadline_feed", args=[bad])).status_code == 404
    institution.coordinator.is_active = False
    institution.coordinator.save(update_fields=["is_active"])
    assert client.get(reverse("grants:deadline_feed", args=[token])).status_code == 404


def test_the_dashboard_offers_the_coordinator_their_feed_address(client, institution):
    client.force_login(institution.coordinator)
    html = client.get(reverse("grants:deadlines")).content.decode()
    assert feeds.token_for(institution.coordinator) in html
    assert 'data-copy-target="#deadline-feed-url"' in html
    client.force_login(institution.manager)  # a manager coordinates nothing: no feed shown
    assert 'id="deadline-feed-url"' not in client.get(reverse("grants:deadlines")).content.decode()
