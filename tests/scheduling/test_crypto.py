"""CalDAV passwords are stored encrypted with a key derived from SECRET_KEY."""

from __future__ import annotations

import pytest

from obieg.scheduling import calendars, crypto
from obieg.scheduling.models import CalDAVAccount


def test_a_password_round_trips_and_is_never_stored_in_clear(org, crew):
    calendars.caldav_configure(
        actor=org.manager,
        owner=crew,
        url="https://dav.example.pl/cal/",
        username="e",
        password="Zażółć-123",
    )
    stored = CalDAVAccount.objects.get().password_encrypted
    assert "Zażółć" not in stored
    assert crypto.decrypt(stored) == "Zażółć-123"


def test_saving_without_a_password_keeps_the_stored_one(org, crew):
    calendars.caldav_configure(
        actor=org.manager,
        owner=crew,
        url="https://dav.example.pl/cal/",
        username="e",
        password="first",
    )
    crew.refresh_from_db()
    calendars.caldav_configure(
        actor=org.manager, owner=crew, url="https://dav.example.pl/cal/", username="e2", password=""
    )
    account = CalDAVAccount.objects.get()
    assert account.username == "e2" and crypto.decrypt(account.password_encrypted) == "first"


def test_a_rotated_secret_key_still_reads_old_passwords(settings):
    token = crypto.encrypt("stare-haslo")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-brand-new-secret-key-" + "y" * 30
    assert crypto.decrypt(token) == "stare-haslo"


def test_a_lost_secret_key_gives_a_clear_error(settings):
    token = crypto.encrypt("haslo")
    settings.SECRET_KEY = "another-key-" + "z" * 40
    with pytest.raises(crypto.CredentialsUnreadable):
        crypto.decrypt(token)


def test_the_password_never_appears_in_the_history(org, crew):
    from obieg.core.audit import history_for

    calendars.caldav_configure(
        actor=org.manager,
        owner=crew,
        url="https://dav.example.pl/cal/",
        username="e",
        password="sekret-99",
    )
    assert all("sekret-99" not in str(entry.changes) for entry in history_for(crew))
    assert all(crew.feed_token not in str(entry.changes) for entry in history_for(crew))
