"""Connect Google Calendar: OAuth 2.0 code flow with PKCE, the calendar chosen, two-way sync."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest

from obieg.core.audit import history_for
from obieg.scheduling import events, oauth
from obieg.scheduling.models import CalDAVAccount, CalendarEvent, OAuthGrant, SyncStatus
from tests.scheduling.conftest import GOOGLE_USER, OTHER_GOOGLE_USER, at
from tests.scheduling.google_flow import connect, start_and_consent, sync
from tests.scheduling.helpers import edit_remote, remote_events

CREW_BASE = "/scheduling/crews/{pk}/"


@pytest.fixture
def work_calendar(google):
    """The subcontractor's Google account: a private calendar and one for the crew's work."""
    google.dav.make_calendar(GOOGLE_USER, "Prywatny")
    return google.dav.make_calendar(GOOGLE_USER, "Ekipa Kowalski – montaże")


@pytest.fixture
def planner(client, org):
    client.force_login(org.manager)
    return client


@pytest.fixture
def google_crew(planner, google, crew, work_calendar):
    """The crew, connected to its Google calendar through the consent flow."""
    connect(planner, google, CREW_BASE.format(pk=crew.pk), work_calendar)
    crew.refresh_from_db()
    return crew


def planned(org, crew, day=1) -> CalendarEvent:
    return events.event_create(
        actor=org.manager,
        crew=crew,
        title="Montaż PV – Nowak",
        start=at(2026, 12, day, 8),
        end=at(2026, 12, day, 16),
        location="Bochnia",
    )


def test_a_planner_connects_a_crew_and_chooses_which_google_calendar(
    planner, google, crew, work_calendar
):
    base = CREW_BASE.format(pk=crew.pk)
    page = connect(planner, google, base, work_calendar)

    # The account's calendars were listed by name; the chosen one is linked.
    assert "Prywatny" in page.content.decode() and "montaże" in page.content.decode()
    crew.refresh_from_db()
    account = crew.caldav
    assert account.url == work_calendar and account.display_name == "Ekipa Kowalski – montaże"
    assert account.username == "" and account.password_encrypted == ""
    grant = account.grant
    assert grant.account_name == GOOGLE_USER
    # The refresh token is kept encrypted, never as it came.
    token = google.issuer.store.grants
    assert [refresh for refresh in token if refresh.startswith("rt-") and "app" not in refresh]
    assert all(refresh not in grant.refresh_token_encrypted for refresh in token)
    assert oauth.crypto.decrypt(grant.refresh_token_encrypted) in token
    # Obieg asked for the code with PKCE: the stand-in refuses an authorisation without it.
    assert google.issuer.store.token_requests == ["authorization_code"]
    detail = planner.get(f"{base}")
    assert 'id="google-calendar">Ekipa Kowalski – montaże' in detail.content.decode()
    # The page's form may be redirected to Google's consent page (CSP form-action).
    policy = detail["Content-Security-Policy"]
    form_action = next(part for part in policy.split(";") if "form-action" in part)
    assert google.issuer.url in form_action and "'self'" in form_action


def test_events_go_to_google_and_a_second_sync_duplicates_nothing(org, google, google_crew):
    event = planned(org, google_crew)
    assert sync(google_crew)["pushed"] == 1
    [copy] = remote_events(google.dav, google_crew, user=GOOGLE_USER)
    assert str(copy["uid"]) == event.uid and str(copy["summary"]) == "Montaż PV – Nowak"
    assert google.dav.bearer_requests > 0

    event.refresh_from_db()
    event.synced_revision = 0  # Obieg forgot it pushed the event: the push repeats
    CalendarEvent.objects.filter(pk=event.pk).update(synced_revision=0)
    sync(google_crew)
    assert len(remote_events(google.dav, google_crew, user=GOOGLE_USER)) == 1


def test_a_move_made_in_google_comes_back_and_a_cancellation_leaves_google(
    org, google, google_crew
):
    event = planned(org, google_crew)
    sync(google_crew)
    edit_remote(google.dav, google_crew, event.uid, shift=timedelta(days=1), user=GOOGLE_USER)

    assert sync(google_crew)["pulled"] == 1
    event.refresh_from_db()
    assert event.start == at(2026, 12, 2, 8)
    entry = history_for(event)[0]
    assert entry.actor is None and entry.changes["source"][1].startswith("CalDAV 127.0.0.1")

    events.event_cancel(actor=org.manager, event=event)
    assert sync(google_crew)["removed"] == 1
    assert remote_events(google.dav, google_crew, user=GOOGLE_USER) == []


def test_a_conflict_keeps_obiegs_version_and_records_googles(org, google, google_crew):
    event = planned(org, google_crew)
    sync(google_crew)
    edit_remote(google.dav, google_crew, event.uid, shift=timedelta(days=2), user=GOOGLE_USER)
    events.event_update(actor=org.manager, event=event, data={"location": "Tarnów"})

    assert sync(google_crew)["conflicts"] == 1
    event.refresh_from_db()
    assert event.start == at(2026, 12, 1, 8) and event.location == "Tarnów"
    [copy] = remote_events(google.dav, google_crew, user=GOOGLE_USER)
    assert copy.start == at(2026, 12, 1, 8) and str(copy["location"]) == "Tarnów"
    conflict = history_for(event)[0].changes["conflict"]
    assert conflict[0].endswith("2026-12-03 08:00–2026-12-03 16:00, Bochnia")


def test_an_access_token_about_to_expire_is_renewed_before_the_sync(org, google, google_crew):
    planned(org, google_crew)
    # An hour later: Google's token has expired, and Obieg knows it.
    google.issuer.expire_access_tokens()
    OAuthGrant.objects.update(access_expires_at=at(2020, 1, 1))

    assert sync(google_crew)["pushed"] == 1
    assert google.issuer.store.token_requests == ["authorization_code", "refresh_token"]
    grant = OAuthGrant.objects.get()
    assert grant.access_expires_at > at(2026, 1, 1) and grant.revoked_at is None


def test_a_token_google_rejects_early_is_renewed_once_and_the_request_repeated(
    org, google, google_crew
):
    planned(org, google_crew)
    google.issuer.expire_access_tokens()  # Obieg still believes its token is good

    report = sync(google_crew)
    assert report["pushed"] == 1, report
    assert google.issuer.store.token_requests.count("refresh_token") == 1
    assert len(remote_events(google.dav, google_crew, user=GOOGLE_USER)) == 1


def test_a_revoked_grant_waits_for_reconnect_and_keeps_the_changes_made_meanwhile(
    org, planner, google, google_crew
):
    event = planned(org, google_crew)
    sync(google_crew)
    account_id = google_crew.caldav_id
    # The subcontractor removes Obieg's access in their Google account.
    google.issuer.revoke_everything_of(GOOGLE_USER)
    google.issuer.expire_access_tokens()
    OAuthGrant.objects.update(access_expires_at=at(2020, 1, 1))
    events.event_move(
        actor=org.manager, event=event, start=at(2026, 12, 3, 8), end=at(2026, 12, 3, 16)
    )

    report = sync(google_crew)
    assert report["reconnect"] is True
    account = CalDAVAccount.objects.get(pk=account_id)
    assert account.status == SyncStatus.RECONNECT and account.retry_at is None
    event.refresh_from_db()
    assert event.has_unsynced_change  # the move waits in Obieg
    page = planner.get(CREW_BASE.format(pk=google_crew.pk)).content.decode()
    assert 'id="google-reconnect"' in page and "Reconnect Google Calendar" in page

    answer = start_and_consent(planner, google, CREW_BASE.format(pk=google_crew.pk))
    assert answer.status_code == 302
    assert answer["Location"] == CREW_BASE.format(pk=google_crew.pk)  # no new choice needed
    google_crew.refresh_from_db()
    assert google_crew.caldav_id == account_id  # the same calendar, its sync state kept
    assert OAuthGrant.objects.get().revoked_at is None

    assert sync(google_crew)["pushed"] == 1
    [copy] = remote_events(google.dav, google_crew, user=GOOGLE_USER)
    assert copy.start == at(2026, 12, 3, 8)
    assert CalDAVAccount.objects.get(pk=account_id).status == SyncStatus.OK
    event.refresh_from_db()
    assert not event.has_unsynced_change


def test_a_busy_token_endpoint_is_retried_no_sooner_than_it_asks(org, google, google_crew):
    planned(org, google_crew)
    OAuthGrant.objects.update(access_expires_at=at(2020, 1, 1))
    google.issuer.store.token_failures = [429]

    sync(google_crew)
    account = CalDAVAccount.objects.get(pk=google_crew.caldav_id)
    assert account.status == SyncStatus.RETRYING
    assert account.retry_at - account.last_attempt_at >= timedelta(seconds=120)

    assert sync(google_crew)["skipped"] == "backing off"  # a sync asked for meanwhile waits
    assert sync(google_crew, retry=True)["pushed"] == 1  # the retry, once Google answers


def test_a_calendar_server_answering_429_or_503_is_retried_with_back_off(org, google, google_crew):
    planned(org, google_crew)
    google.dav.failures = [429]
    sync(google_crew)
    account = CalDAVAccount.objects.get(pk=google_crew.caldav_id)
    assert account.status == SyncStatus.RETRYING and account.failures == 1
    assert account.retry_at - account.last_attempt_at >= timedelta(seconds=90)

    google.dav.failures = [503]
    sync(google_crew, retry=True)
    account.refresh_from_db()
    assert account.status == SyncStatus.RETRYING and account.failures == 2

    assert sync(google_crew, retry=True)["pushed"] == 1
    account.refresh_from_db()
    assert account.status == SyncStatus.OK and account.failures == 0


def test_disconnecting_gives_the_grant_back_to_google(org, planner, google, google_crew):
    from obieg.scheduling import tasks

    grant = google_crew.caldav.grant
    response = planner.post(f"{CREW_BASE.format(pk=google_crew.pk)}caldav/remove/")
    assert response.status_code == 302
    google_crew.refresh_from_db()
    assert google_crew.caldav is None
    assert tasks.revoke_google_grant.call(grant.pk) == {"revoked": True}
    assert google.issuer.store.revocations == [GOOGLE_USER]
    assert not OAuthGrant.objects.filter(pk=grant.pk).exists()
    # Google no longer lets the old token in.
    assert google.issuer.store.grants[oauth.crypto.decrypt(grant.refresh_token_encrypted)].revoked


def test_only_a_calendar_google_listed_may_be_chosen(planner, google, crew, work_calendar):
    base = CREW_BASE.format(pk=crew.pk)
    start_and_consent(planner, google, base)
    response = planner.post(f"{base}google/calendars/", {"calendar": "http://evil.test/cal/"})
    assert response.status_code == 200  # the form again, with the error beside the choice
    assert "Select a valid choice" in response.content.decode()
    crew.refresh_from_db()
    assert crew.caldav is None


def test_a_callback_with_another_state_connects_nothing(planner, google, crew):
    base = CREW_BASE.format(pk=crew.pk)
    start = planner.post(f"{base}google/connect/")
    callback = google.issuer.consent(start["Location"], account=GOOGLE_USER)
    forged = callback.replace("state=", "state=x")
    path = forged.split("127.0.0.1:8000", 1)[1]
    response = planner.get(path)
    assert response.status_code == 400
    assert OAuthGrant.objects.count() == 0 and google.issuer.store.token_requests == []


def test_a_code_is_worthless_without_the_verifier_only_the_session_holds(planner, google, crew):
    start = planner.post(f"{CREW_BASE.format(pk=crew.pk)}google/connect/")
    callback = google.issuer.consent(start["Location"], account=GOOGLE_USER)
    code = callback.split("code=", 1)[1].split("&", 1)[0]
    with pytest.raises(oauth.ApplicationError):
        oauth.exchange_code(code, "a" * 64)  # someone who intercepted the code
    assert OAuthGrant.objects.count() == 0


def test_a_refused_consent_connects_nothing(planner, google, crew):
    answer = start_and_consent(planner, google, CREW_BASE.format(pk=crew.pk), allow=False)
    assert answer.status_code == 302 and answer["Location"] == CREW_BASE.format(pk=crew.pk)
    crew.refresh_from_db()
    assert crew.caldav is None and OAuthGrant.objects.count() == 0


def test_an_installer_cannot_connect_the_crews_calendar(client, google, crew, installer):
    client.force_login(installer)
    response = client.post(f"{CREW_BASE.format(pk=crew.pk)}google/connect/")
    assert response.status_code == 302
    assert not response["Location"].startswith(google.issuer.url)


def test_a_person_connects_their_own_google_calendar(client, org, google):
    own = google.dav.make_calendar(OTHER_GOOGLE_USER, "Spotkania")
    client.force_login(org.sara)
    connect(client, google, "/scheduling/me/", own, account=OTHER_GOOGLE_USER)
    meeting = events.event_create(
        actor=org.sara,
        user=org.sara,
        title="Spotkanie u klienta",
        start=at(2026, 12, 7, 10),
        end=at(2026, 12, 7, 11),
    )
    calendar = org.sara.calendar
    assert sync(calendar)["pushed"] == 1
    [copy] = remote_events(google.dav, calendar, user=OTHER_GOOGLE_USER)
    assert str(copy["uid"]) == meeting.uid
    cal = icalendar.Calendar.from_ical(google.dav.objects(OTHER_GOOGLE_USER, own)[0].data)
    assert cal.walk("VEVENT")[0].start == at(2026, 12, 7, 10)
