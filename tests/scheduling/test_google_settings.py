"""The administrator enters Google's OAuth client once (or the environment gives it)."""

from __future__ import annotations

from obieg.core.audit import history_for
from obieg.scheduling import crypto, google_config
from obieg.scheduling.models import GoogleClientSettings

URL = "/scheduling/google/settings/"


def test_an_administrator_enters_the_client_and_the_secret_is_stored_encrypted(client, org):
    client.force_login(org.admin)
    page = client.get(URL)
    assert page.status_code == 200
    # What to register in the Google Cloud console.
    assert "http://127.0.0.1:8000/scheduling/google/callback/" in page.content.decode()
    assert "https://www.googleapis.com/auth/calendar" in page.content.decode()

    response = client.post(
        URL, {"client_id": "42-abc.apps.googleusercontent.com", "client_secret": "GOCSPX-s3cret"}
    )
    assert response.status_code == 302
    stored = GoogleClientSettings.objects.get()
    assert "GOCSPX" not in stored.client_secret_encrypted
    assert crypto.decrypt(stored.client_secret_encrypted) == "GOCSPX-s3cret"
    assert google_config.credentials().complete
    entry = history_for(stored)[0]
    assert entry.actor == org.admin and "GOCSPX" not in str(entry.changes)

    # A blank secret keeps the stored one.
    client.post(URL, {"client_id": "43-abc.apps.googleusercontent.com", "client_secret": ""})
    assert google_config.credentials().client_id == "43-abc.apps.googleusercontent.com"
    assert google_config.credentials().client_secret == "GOCSPX-s3cret"


def test_a_client_id_without_its_secret_or_with_spaces_is_refused(client, org):
    client.force_login(org.admin)
    response = client.post(URL, {"client_id": "42-abc.apps.googleusercontent.com"})
    assert response.status_code == 400
    assert "Enter the client secret" in response.content.decode()
    response = client.post(URL, {"client_id": "42 abc", "client_secret": "x"})
    assert response.status_code == 400 and "has no spaces" in response.content.decode()
    assert not GoogleClientSettings.objects.exists()


def test_the_environment_gives_the_client_and_the_page_only_shows_it(client, org, monkeypatch):
    monkeypatch.setenv("GOOGLE_CALENDAR_CLIENT_ID", "env-1.apps.googleusercontent.com")
    monkeypatch.setenv("GOOGLE_CALENDAR_CLIENT_SECRET", "GOCSPX-from-env")
    GoogleClientSettings.objects.create(pk=1, client_id="page.apps.googleusercontent.com")
    current = google_config.credentials()
    assert current.client_id == "env-1.apps.googleusercontent.com"
    assert current.client_secret == "GOCSPX-from-env" and current.from_environment

    client.force_login(org.admin)
    page = client.get(URL).content.decode()
    assert 'id="google-from-environment"' in page and "GOCSPX" not in page
    response = client.post(URL, {"client_id": "other", "client_secret": "x"})
    assert response.status_code == 409
    assert GoogleClientSettings.objects.get().client_id == "page.apps.googleusercontent.com"


def test_only_administrators_see_the_settings(client, org):
    client.force_login(org.manager)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"client_id": "x", "client_secret": "y"}).status_code == 404


def test_without_a_client_nobody_is_offered_google_and_connecting_says_why(client, org, crew):
    client.force_login(org.manager)
    page = client.get(f"/scheduling/crews/{crew.pk}/").content.decode()
    assert "Connect Google Calendar" not in page
    response = client.post(f"/scheduling/crews/{crew.pk}/google/connect/", follow=True)
    assert "Google Calendar is not set up" in response.content.decode()


def test_the_menu_offers_the_settings_to_administrators_and_crews_to_planners(client, org):
    client.force_login(org.admin)
    home = client.get("/scheduling/").content.decode()
    assert URL in home and "/scheduling/crews/" in home
    client.force_login(org.sara)
    home = client.get("/scheduling/").content.decode()
    assert URL not in home
