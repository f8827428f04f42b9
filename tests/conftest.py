"""Shared personas and helpers for every test.

The organisation: a sales team (manager Maria, salespeople Sara and Tomasz),
the design department, the expert department "Construction" with its head,
the board, accounting and an administrator.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import translation

from obieg.core import roles
from obieg.core.models import Department, Team, User

PASSWORD = "obieg-test-pass-1"


def make_user(username: str, *role_names: str, **extra) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, first_name=username.capitalize(), **extra
    )
    for name in role_names:
        group, _created = Group.objects.get_or_create(name=name)
        user.groups.add(group)
    return user


def give_role(user: User, *role_names: str) -> None:
    """Add roles to a persona (the role groups exist from the migrations)."""
    for name in role_names:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    user.__dict__.pop("role_names", None)  # the cached property is re-read


class Org:
    """The persona set; attributes are users, departments and teams."""

    def __init__(self):
        self.construction = Department.objects.create(name="Construction", code="construction")
        self.design = Department.objects.create(name="Design", code="design")
        self.manager = make_user("maria", roles.SALES_MANAGER)
        self.sales_team = Team.objects.create(name="Sales", manager=self.manager)
        self.sara = make_user("sara", roles.SALESPERSON, team=self.sales_team)
        self.tomasz = make_user("tomasz", roles.SALESPERSON, team=self.sales_team)
        self.other_team = Team.objects.create(name="Other sales")
        self.olga = make_user("olga", roles.SALESPERSON, team=self.other_team)
        self.head = make_user("henryk", roles.DEPARTMENT_HEAD, department=self.construction)
        self.construction.head = self.head
        self.construction.save()
        self.designer = make_user("dorota", roles.DESIGNER, department=self.design)
        self.board = make_user("bogdan", roles.BOARD)
        self.accountant = make_user("anna", roles.ACCOUNTANT)
        self.admin = make_user("adam", roles.ADMIN)
        self.stranger = make_user("stefan")


@pytest.hookimpl(trylast=True)  # after tests/browser/conftest.py has marked its tests
def pytest_collection_modifyitems(items):
    """`@pytest.mark.once` (on="sqlite" unless said): run on that database only.

    CI runs the suite on SQLite and again on PostgreSQL. A check that does not
    depend on the database (a browser walk-through: the views under it are tested
    on both) or that is too slow to pay twice runs on one of them; what is
    the database's own (locks, plans, PREPARE) says so with a skipif instead.
    """
    for item in items:
        marker = item.get_closest_marker("once")
        database = marker.kwargs.get("on", "sqlite") if marker else None
        if database and database != connection.vendor:
            item.add_marker(pytest.mark.skip(reason=f"runs once per CI run, on {database}"))


@pytest.fixture(autouse=True)
def english_by_default(settings):
    """Tests assert the English source texts; Polish is checked in test_translations."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The personas hash a dozen passwords; PBKDF2 would cost ~2 s per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def static_files_by_plain_names(settings):
    """Static URLs without the manifest's hashes: tests need no `collectstatic`
    (the live server finds files where they are written, under their plain names)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files go to a per-test directory, never to var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def org(db) -> Org:
    return Org()


@pytest.fixture
def sara(org) -> User:
    return org.sara
