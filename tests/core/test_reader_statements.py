"""A reader's lists over their access scope, compiled once per kind of reader
(core/reader_statements.py, access.reader_shape, compiled_once's two builds).

Readers of one shape share one statement and each reads their own rows, the
same the queryset built for them reads; a reader of another shape (a team
manager, a department, the board, an admin) gets a statement of their own;
a list that works a value out of another, or reads the clock, is not kept
as a constant of its shape but built afresh each time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from obieg.core import access, clock, compiled_once, reader_statements
from obieg.crm.models import Activity
from tests.factories import AccountFactory, OpportunityFactory
from tests.web.home_fixtures import activity

MOMENT = compiled_once.Value(datetime, Activity._meta.get_field("occurs_at"))


@pytest.fixture
def activities(org):
    now = timezone.now()
    for owner in (org.sara, org.tomasz, org.olga, org.manager):
        for days in range(-2, 4):
            activity(owner, occurs_at=now + timedelta(days=days), subject=f"{owner} {days}")
    # Sara's activity at an account Tomasz owns: she does not see it; he and their manager do.
    lent = activity(
        org.sara, occurs_at=now, account=AccountFactory(owner=org.tomasz), subject="Lent"
    )
    # The designer sees an account Design sells to; the board, one escalated to it.
    OpportunityFactory(account=lent.account, department=org.design)
    OpportunityFactory(account=lent.account, escalated_to_board=True)
    return now


def _planned(reader, values):
    return (
        access.visible(Activity.objects.all(), reader)
        .filter(status=Activity.Status.PLANNED, occurs_at__lt=values["before"])
        .order_by("occurs_at", "id")
        .values_list("subject", "occurs_at")
    )


def _read(user, before: datetime, *, name: str = "test.planned", build=_planned) -> list[tuple]:
    return reader_statements.rows(
        name,
        user,
        models=(Activity,),
        values={"before": before},
        kinds={"before": MOMENT},
        build=build,
    )


def _kept(name: str) -> dict:
    return {key[1][1]: value for key, value in compiled_once._compiled.items() if key[1][0] == name}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona", ["sara", "tomasz", "olga", "manager", "board", "designer", "admin", "stranger"]
)
def test_each_reader_reads_what_their_own_queryset_reads(org, activities, persona):
    before = activities + timedelta(days=2)
    # Another reader of each shape first, so the statement is compiled with someone else.
    for other in ("olga", "tomasz", "admin"):
        _read(getattr(org, other), before)
    user = getattr(org, persona)

    read = _read(user, before)

    assert read == list(_planned(user, {"before": before}))
    assert bool(read) == (persona != "stranger"), persona


@pytest.mark.django_db
def test_readers_of_one_shape_share_one_statement_and_others_get_their_own(org, activities):
    before = activities + timedelta(days=1)
    sara, tomasz, manager = (_read(user, before) for user in (org.sara, org.tomasz, org.manager))

    assert {subject for subject, _at in sara} == {f"Sara {days}" for days in range(-2, 1)}
    assert {subject for subject, _at in tomasz} == {"Lent"} | {
        f"Tomasz {days}" for days in range(-2, 1)
    }
    assert len(manager) == len(sara) + len(tomasz) + 3  # and her own
    kept = _kept("test.planned")
    shape = access.reader_shape(org.sara, Activity)
    assert (
        shape
        == access.reader_shape(org.tomasz, Activity)
        != access.reader_shape(org.manager, Activity)
    )
    assert kept[shape] is not None and kept[access.reader_shape(org.manager, Activity)] is not None
    with CaptureQueriesContext(connection) as queries:
        _read(org.tomasz, before)
    (sent,) = [
        query["sql"]
        for query in queries.captured_queries
        if "occurs_at" in query["sql"] or query["sql"].startswith("EXECUTE")
    ]
    if connection.vendor == "postgresql":
        assert sent.startswith("EXECUTE")  # prepared with Sara's read


@pytest.mark.django_db
def test_a_value_worked_out_of_another_is_not_kept_as_a_constant(org, activities):
    """A week's end worked out from its start would have been compiled as the first
    reader's date and given every later reader that week."""

    def week_from(reader, values):
        start = values["before"] - timedelta(days=7)
        return _planned(reader, values).filter(occurs_at__gte=start)

    first = _read(org.sara, activities + timedelta(days=1), name="test.week", build=week_from)
    later = _read(org.sara, activities + timedelta(days=30), name="test.week", build=week_from)

    assert _kept("test.week") == {access.reader_shape(org.sara, Activity): None}
    assert len(first) == 3 and later == []  # the second week starts after every activity


@pytest.mark.django_db
def test_a_list_that_reads_the_clock_is_built_afresh(org, activities):
    def upcoming(reader, values):
        return _planned(reader, values).filter(occurs_at__gte=clock.now())

    with clock.frozen(activities - timedelta(days=5)):
        early = _read(org.sara, activities + timedelta(days=9), name="test.clock", build=upcoming)
    late = _read(org.sara, activities + timedelta(days=9), name="test.clock", build=upcoming)

    assert _kept("test.clock") == {access.reader_shape(org.sara, Activity): None}
    assert len(early) == 6 and len(late) < len(early)


@pytest.fixture
def records(org):
    """Accounts and an activity that different readers may or may not change, and a PV
    project (whose participants see it, which never lets them change it)."""
    from obieg.solutions.pv_installation.models import PVProject

    design = AccountFactory(owner=org.olga)
    OpportunityFactory(account=design, department=org.design, owner=org.olga)
    escalated = AccountFactory(owner=org.olga)
    OpportunityFactory(account=escalated, escalated_to_board=True, owner=org.olga)
    sara, tomasz = AccountFactory(owner=org.sara), AccountFactory(owner=org.tomasz)
    return [
        sara,
        tomasz,
        design,
        escalated,
        activity(org.tomasz, occurs_at=timezone.now(), account=sara),
        PVProject.objects.create(account=sara, owner=org.sara),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona", ["sara", "tomasz", "olga", "manager", "head", "board", "designer", "admin"]
)
def test_may_change_answers_as_the_scope_for_change_for_each_reader(org, records, persona):
    """access.can_change, compiled once per kind of reader, says what the scope says."""
    for other in ("olga", "tomasz", "manager", "admin"):  # compiled with someone else first
        for record in records:
            access.can_change(getattr(org, other), record)
    user = getattr(org, persona)

    for record in records:
        changeable = access.changeable(type(record).objects.filter(pk=record.pk), user).exists()
        assert access.can_change(user, record) == changeable, (persona, record)
    # A project's participation rules widen what one sees, not what one may change.
    project = records[-1]
    shape = access.reader_shape(user, type(project), for_change=True)
    assert shape is not None and access.reader_shape(user, type(project)) is None
    assert compiled_once._compiled[(connection.vendor, (("may change", type(project)), shape))]


@pytest.mark.django_db
def test_may_change_tells_readers_of_one_shape_apart(org, records):
    sara_account, tomasz_account = records[:2]

    assert access.can_change(org.sara, sara_account)
    assert not access.can_change(org.tomasz, sara_account)  # the same statement, his id
    assert access.can_change(org.tomasz, tomasz_account)
    assert access.can_change(org.manager, sara_account)  # her team's
    assert not access.can_change(org.olga, sara_account)
    assert not access.can_change(org.board, records[3])  # it reads what is escalated to it
