"""What every authenticated request pays before its view: the session read and one user read.

`core.auth_backend.StandingModelBackend` reads the user with their role
names and whether they manage a team or head a department, in one
statement; `core.session_store` reads the session with SQL compiled once.
These tests hold both to what Django's own ModelBackend and database
sessions give: the same user, the same roles and flags as `core.access`
reads them itself, a deactivation, a logout and a role taken away counting
at the next request, the same response headers.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import timezone

from obieg.core import access, roles
from obieg.core.auth_backend import StandingModelBackend
from obieg.core.models import User
from obieg.core.session_store import SessionStore
from tests.statements import sql_of_each

DJANGO_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
DJANGO_SESSIONS = "django.contrib.sessions.backends.db"

_PAGE = engines["django"].from_string("{{ user.username }} {{ nav_is_admin }} {{ may_create }}")


def standing(request):
    """A page that asks what a page asks of its user, with the context processors."""
    user = request.user
    if not user.is_authenticated:
        return HttpResponse("anonymous")
    answer = (
        sorted(user.role_names),
        access.is_admin(user),
        access.manages_team(user),
        access.heads_department(user),
    )
    return HttpResponse(f"{answer!r} {_PAGE.render({}, request)}")


urlpatterns = [path("floor/", standing), path("", include("obieg.urls"))]


def standing_of(user: User) -> tuple:
    """What core.access reads itself, for an object not read by the backend."""
    fresh = User.objects.get(pk=user.pk)
    return (
        fresh.role_names,
        access.manages_team(fresh),
        access.heads_department(fresh),
    )


@pytest.mark.parametrize(
    "persona", ["sara", "manager", "head", "admin", "stranger", "designer", "board"]
)
def test_the_user_read_is_djangos_with_the_standing_access_reads(org, persona):
    user = getattr(org, persona)
    give_second_role = persona == "designer"
    if give_second_role:
        user.groups.add(Group.objects.get_or_create(name=roles.BOARD)[0])
    expected = ModelBackend().get_user(user.pk)

    with CaptureQueriesContext(connection) as queries:
        read = StandingModelBackend().get_user(str(user.pk))  # the session holds text
        answer = (read.role_names, access.manages_team(read), access.heads_department(read))
    assert len(queries) == 1
    assert answer == standing_of(user)
    assert type(read) is User and read.pk == expected.pk
    for field in User._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(expected, field.attname), field.name
    assert read._state.adding is False and read._state.db == expected._state.db


def test_the_flags_follow_the_teams_and_departments(org):
    assert standing_of(org.manager)[1:] == (True, False)
    assert standing_of(org.head)[1:] == (False, True)
    read = StandingModelBackend().get_user(org.manager.pk)
    assert (access.manages_team(read), access.heads_department(read)) == (True, False)
    read = StandingModelBackend().get_user(org.head.pk)
    assert (access.manages_team(read), access.heads_department(read)) == (False, True)


def test_no_user_for_an_unknown_or_inactive_id(org):
    assert StandingModelBackend().get_user(10**9) is None
    User.objects.filter(pk=org.sara.pk).update(is_active=False)
    assert StandingModelBackend().get_user(org.sara.pk) is None
    assert ModelBackend().get_user(org.sara.pk) is None


@pytest.mark.urls(__name__)
def test_an_authenticated_page_costs_the_session_and_one_user_statement(client, org):
    client.force_login(org.sara)
    client.get("/floor/")  # the process's first request compiles the statements
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/floor/")
    assert response.status_code == 200
    assert response.content.decode().startswith("(['salesperson'], False, False, False) sara ")
    tables = [sql.split()[1].split(".")[0] for sql in sql_of_each(queries)]
    assert tables == ['"django_session"', '"core_user"']


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("persona", ["sara", "manager", "head", "admin"])
def test_the_page_is_the_same_as_with_djangos_backend_and_sessions(client, org, settings, persona):
    client.force_login(getattr(org, persona))
    ours = client.get("/floor/")
    settings.AUTHENTICATION_BACKENDS = DJANGO_BACKENDS
    settings.SESSION_ENGINE = DJANGO_SESSIONS
    client.force_login(getattr(org, persona))
    theirs = client.get("/floor/")
    assert ours.content == theirs.content


@pytest.mark.parametrize("path", ["/", "/work/", "/accounts/", "/work/nav-badge/"])
def test_the_response_headers_are_the_same_as_with_djangos_backend_and_sessions(
    client, org, settings, path
):
    client.force_login(org.sara)
    ours = client.get(path)
    settings.AUTHENTICATION_BACKENDS = DJANGO_BACKENDS
    settings.SESSION_ENGINE = DJANGO_SESSIONS
    client.force_login(org.sara)
    theirs = client.get(path)
    assert ours.status_code == theirs.status_code == 200
    assert sorted(ours.headers.items()) == sorted(theirs.headers.items())
    assert "Content-Security-Policy" in ours.headers
    assert ours.cookies.keys() == theirs.cookies.keys()


@pytest.mark.urls(__name__)
def test_a_deactivation_counts_at_the_next_request(client, org):
    client.force_login(org.sara)
    assert client.get("/floor/").content.startswith(b"(['salesperson']")
    User.objects.filter(pk=org.sara.pk).update(is_active=False)
    assert client.get("/floor/").content == b"anonymous"


@pytest.mark.urls(__name__)
def test_a_role_or_a_team_taken_away_counts_at_the_next_request(client, org):
    client.force_login(org.manager)
    assert client.get("/floor/").content.startswith(b"(['sales_manager'], False, True, False)")
    org.manager.groups.clear()
    org.sales_team.manager = None
    org.sales_team.save()
    assert client.get("/floor/").content.startswith(b"([], False, False, False)")


@pytest.mark.urls(__name__)
def test_a_password_change_elsewhere_ends_the_session(client, org):
    client.force_login(org.sara)
    assert client.get("/floor/").content != b"anonymous"
    user = User.objects.get(pk=org.sara.pk)
    user.set_password("another-password-42")
    user.save()
    assert client.get("/floor/").content == b"anonymous"


@pytest.mark.urls(__name__)
def test_a_logout_ends_the_session_for_its_cookie(client, org):
    client.force_login(org.sara)
    cookie = client.cookies["sessionid"].value
    client.post("/logout/")
    assert not Session.objects.filter(session_key=cookie).exists()
    client.cookies["sessionid"] = cookie  # someone who kept the old cookie
    assert client.get("/floor/").content == b"anonymous"


def test_the_session_read_is_djangos(db):
    theirs = DjangoSessionStore()
    theirs[SESSION_KEY] = "42"
    theirs["other"] = {"a": [1, 2]}
    theirs.create()
    theirs.save()
    ours = SessionStore(theirs.session_key)
    assert ours.load() == DjangoSessionStore(theirs.session_key).load()
    assert ours.session_key == theirs.session_key


def test_an_expired_or_unknown_session_reads_empty_and_gets_a_new_key(db):
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    for key in [store.session_key, "a" * 32]:
        ours, theirs = SessionStore(key), DjangoSessionStore(key)
        assert ours.load() == theirs.load() == {}
        assert ours.session_key is None and theirs.session_key is None
    assert SessionStore("short").load() == {}  # not a valid key: nothing read
