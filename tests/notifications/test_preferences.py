"""Each person chooses what they hear about; a bad value or a stale page changes nothing."""

import pytest

from obieg.notifications.models import Preferences

CHOICES = {
    "mention": "on",
    "due_today": "on",
    "digest": "on",
    "digest_hour": "18",
    "language": "en",
    "revision": "1",
}


@pytest.fixture
def sara_client(client, org):
    client.force_login(org.sara)
    return client


def test_choices_are_saved(sara_client, org):
    response = sara_client.post("/notifications/settings/", CHOICES)

    assert response.status_code == 302
    prefs = Preferences.objects.get(user=org.sara)
    assert (prefs.mention, prefs.assigned, prefs.due_today, prefs.overdue) == (
        True,
        False,
        True,
        False,
    )
    assert (prefs.digest, prefs.digest_hour, prefs.language) == (True, 18, "en")


def test_the_page_starts_with_the_defaults_in_the_pages_language(sara_client):
    response = sara_client.get("/notifications/settings/", HTTP_ACCEPT_LANGUAGE="pl")

    form = response.context["form"]
    assert form.initial["digest_hour"] == 7
    assert form["language"].value() in ("pl", "en")
    assert form["revision"].value() == 1


@pytest.mark.parametrize(
    "field, value", [("digest_hour", "24"), ("digest_hour", "siódma"), ("language", "de")]
)
def test_a_bad_value_is_a_field_error_and_nothing_is_saved(sara_client, field, value):
    response = sara_client.post("/notifications/settings/", {**CHOICES, field: value})

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Preferences.objects.exists()


def test_a_page_older_than_the_saved_choices_is_refused(sara_client, org):
    sara_client.post("/notifications/settings/", CHOICES)  # another tab saved first

    response = sara_client.post(
        "/notifications/settings/", {**CHOICES, "digest_hour": "6", "revision": "1"}
    )

    assert response.status_code == 409
    assert Preferences.objects.get(user=org.sara).digest_hour == 18
