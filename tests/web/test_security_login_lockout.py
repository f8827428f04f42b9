"""Log-in throttling (django-axes): a user name, and separately an address, is
locked after LOGIN_FAILURE_LIMIT failures until the cool-off passes or an
administrator unlocks it."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from tests.conftest import PASSWORD

LIMIT = 5


@pytest.fixture(autouse=True)
def five_failures(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def log_in(client, username: str, password: str, address: str = "192.0.2.10"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username: str, times: int, address: str = "192.0.2.10"):
    for attempt in range(1, times + 1):
        response = log_in(client, username, "wrong-password", address)
        # The form again until the limit; the failure that reaches it locks.
        assert response.status_code == (429 if attempt >= LIMIT else 200)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_user_is_locked_after_five_failures_even_with_the_right_password(client, org):
    fail(client, "sara", LIMIT - 1)
    assert log_in(client, "sara", "wrong-password").status_code == 429
    response = log_in(client, "sara", PASSWORD)
    assert response.status_code == 429
    assert not is_logged_in(client)


def test_the_user_lock_holds_from_any_address(client, org):
    for n in range(LIMIT):
        log_in(client, "sara", "wrong-password", address=f"198.51.100.{n}")
    assert log_in(client, "sara", PASSWORD, address="198.51.100.99").status_code == 429
    # Each of those addresses failed once: someone else logs in from one of them.
    assert log_in(client, "tomasz", PASSWORD, address="198.51.100.0").status_code == 302


def test_an_address_is_locked_after_five_failures_whatever_the_user_names(client, org):
    for name in ["sara", "tomasz", "olga", "maria", "nobody"]:
        log_in(client, name, "wrong-password", address="203.0.113.50")
    assert log_in(client, "anna", PASSWORD, address="203.0.113.50").status_code == 429
    assert log_in(client, "anna", PASSWORD, address="203.0.113.51").status_code == 302


def test_the_locked_log_in_page_says_why_and_when(client, org):
    fail(client, "sara", LIMIT)
    response = log_in(client, "sara", PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429
    assert "Too many failed log-in attempts. Try again in 15 minutes" in page
    assert 'name="password"' in page  # still the log-in page, with its form
    assert 'value="sara"' in page


def test_after_the_cool_off_the_right_password_works_again(client, org):
    fail(client, "sara", LIMIT)
    assert log_in(client, "sara", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert log_in(client, "sara", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_logging_in_to_ones_own_account_does_not_reset_the_guesses_at_another(client, org):
    # Tomasz guesses at Sara's password, logging in as himself between the guesses.
    fail(client, "sara", LIMIT - 1)
    assert log_in(client, "tomasz", PASSWORD).status_code == 302
    client.logout()
    assert log_in(client, "sara", "wrong-password").status_code == 429
    assert log_in(client, "sara", PASSWORD, address="198.51.100.77").status_code == 429


def test_an_administrator_unlocks_in_the_admin(client, org):
    fail(client, "sara", LIMIT)
    admin = org.admin
    admin.is_staff = admin.is_superuser = True
    admin.save()
    attempt = AccessAttempt.objects.get(username="sara")
    admin_client = client.__class__()
    admin_client.force_login(admin)
    listing = admin_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "sara" in listing.content.decode()
    deleted = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert log_in(client, "sara", PASSWORD).status_code == 302


def test_the_limit_and_cool_off_come_from_the_environment(settings):
    import os
    import subprocess
    import sys

    env = {**os.environ, "LOGIN_FAILURE_LIMIT": "3", "LOGIN_LOCKOUT_MINUTES": "30"}
    code = "import obieg.settings as s; print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["3", "0:30:00"], result.stderr
