"""The telephone salesperson's screen and home panel, through HTTP."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from obieg.core import clock
from obieg.solutions.pv_salesforce.call_schedule import build_call_schedules
from obieg.solutions.pv_salesforce.models_queue import CallSlot, QueueItem
from tests.solutions.pv_salesforce.helpers import MONDAY, at, enqueue, morning, rule

CALLS = reverse("salesforce:calls")


@pytest.fixture
def day(team):
    rule(1, "Referral", 40, source="referral")
    with morning():
        first = enqueue(
            team, name="Nowak", source="referral", value="42000.50", phone="600 111 222"
        )
        enqueue(team, name="Wiśniewska")
        build_call_schedules(day=MONDAY, sellers=[team.paula])
    return first


def outcome_url(item) -> str:
    slot = CallSlot.objects.get(item=item, status="planned")
    return reverse("salesforce:call_outcome", args=[slot.pk])


def test_the_screen_shows_the_call_in_hand_with_its_context(client, team, day):
    client.force_login(team.paula)
    with clock.frozen(at(MONDAY, 8)):
        page = client.get(CALLS)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'href="tel:600111222"' in html
    assert "42,000.50" in html or "42 000,50" in html or "42000.50" in html
    assert "Referral +40" in html
    assert 'id="call-script"' in html
    assert html.index("Nowak") < html.index("Wiśniewska")
    assert "pv_salesforce/calls.js" in html
    assert all(" src=" in tag for tag in re.findall(r"<script[^>]*>", html))  # CSP: none inline


def test_others_see_no_call_screen(client, team, day):
    client.force_login(team.filip)
    assert client.get(CALLS).status_code == 404


def test_an_outcome_is_posted_and_the_next_call_comes_up(client, team, day):
    client.force_login(team.paula)
    with clock.frozen(at(MONDAY, 8, 2)):
        answer = client.post(
            outcome_url(day), {"outcome": "no_answer", "revision": day.revision + 1}
        )
        assert answer.status_code == 302
        page = client.get(CALLS)
    day.refresh_from_db()
    assert day.attempts == 1
    assert 'id="current-call"' in page.content.decode()
    assert "Wiśniewska" in page.content.decode().split('id="current-call"')[1][:400]


def test_a_call_back_in_the_past_is_refused_on_the_screen(client, team, day):
    client.force_login(team.paula)
    with clock.frozen(at(MONDAY, 9)):
        answer = client.post(
            outcome_url(day),
            {
                "outcome": "call_back",
                "revision": day.revision + 1,
                "callback_at": "2026-03-02T08:30",
            },
        )
    assert answer.status_code == 400
    assert "The call-back must be in the future." in answer.content.decode()
    assert "is-invalid" in answer.content.decode()
    assert QueueItem.objects.get(pk=day.pk).status == QueueItem.Status.SCHEDULED


def test_a_stale_outcome_answers_409_with_a_clear_message(client, team, day):
    client.force_login(team.paula)
    with clock.frozen(at(MONDAY, 9)):
        answer = client.post(outcome_url(day), {"outcome": "no_answer", "revision": "1"})
    assert answer.status_code == 409
    assert "already recorded or changed by someone else" in answer.content.decode()


def test_someone_elses_call_is_not_found(client, team, day):
    client.force_login(team.piotr)
    answer = client.post(outcome_url(day), {"outcome": "no_answer", "revision": "2"})
    assert answer.status_code == 404


def test_the_home_panel_counts_todays_calls(client, team, day):
    client.force_login(team.paula)
    with clock.frozen(at(MONDAY, 8)):
        home = client.get("/")
    html = home.content.decode()
    assert 'id="home-salesforce-calls"' in html
    assert "Done: 0, still to call: 2." in html


def test_on_a_day_without_calls_the_next_planned_day_is_named(client, team, day):
    client.force_login(team.paula)
    sunday = MONDAY - timedelta(days=1)
    with clock.frozen(at(sunday, 18)):
        html = client.get(CALLS).content.decode()
    assert "No calls are planned for you today." in html
    assert "Your next calls are planned for Monday" in html
