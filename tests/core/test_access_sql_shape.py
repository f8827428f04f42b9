"""The SQL the access policy writes, and what building a user's scope reads (#16).

A path that crosses to another table (a document's `account__owner`) is a
correlated EXISTS on the record's own foreign key, never a join: OR-ed with
the other conditions, a join made PostgreSQL hash every account to keep a
salesperson's documents, and join every activity to its opportunities for a
department member. What each persona sees is tests/core/test_access_matrix.py's
and test_access_inherited.py's business; here only the shape, and that the
records seen stay the same.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from obieg.core import access, roles
from obieg.core.models import Department, Team, User
from obieg.crm.models import Activity, Opportunity
from obieg.documents.models import Document
from obieg.sales.models import Offer
from tests.conftest import make_user
from tests.factories import AccountFactory, ActivityFactory, OpportunityFactory

pytestmark = pytest.mark.django_db


def _outer_sql(queryset) -> str:
    """The statement without its subqueries' text: what the outer query joins."""
    sql = str(queryset.query)
    depth, outer = 0, []
    for char in sql:
        depth += char == "("
        if depth == 0:
            outer.append(char)
        depth -= char == ")"
    return "".join(outer)


@pytest.fixture
def seller():
    return make_user("seller_shape", roles.SALESPERSON)


def test_a_salespersons_documents_join_no_accounts_table(seller):
    documents = access.visible(Document.objects.all(), seller)
    outer = _outer_sql(documents)
    assert "JOIN" not in outer.upper()
    sql = str(documents.query)
    assert "EXISTS" in sql.upper()
    # The accounts are read only inside the EXISTS, by the document's own key.
    assert '"crm_account"."owner_id"' not in outer


def test_a_department_members_activities_are_not_read_through_their_own_table():
    department = Department.objects.create(name="Shape dept")
    member = make_user("member_shape", roles.DESIGNER, department=department)
    sql = str(access.visible(Activity.objects.all(), member).query)
    # Once, in the outer FROM: no subquery that lists activities (10^6 ids to hash).
    assert sql.count('FROM "crm_activity"') == 1
    assert "JOIN" not in _outer_sql(access.visible(Activity.objects.all(), member)).upper()


def test_the_semi_joins_keep_what_each_persona_sees():
    department = Department.objects.create(name="Shape sales")
    seller = make_user("seller_seen", roles.SALESPERSON)
    member = make_user("member_seen", roles.DESIGNER, department=department)
    other = make_user("other_seen", roles.SALESPERSON)
    mine = AccountFactory(owner=seller)
    theirs = AccountFactory(owner=other)
    in_department = AccountFactory(owner=other)
    OpportunityFactory(account=in_department, owner=other, department=department)
    OpportunityFactory(account=in_department, owner=other, department=department)
    activities = {
        account.pk: ActivityFactory(account=account) for account in (mine, theirs, in_department)
    }
    assert set(access.visible(Activity.objects.all(), seller)) == {activities[mine.pk]}
    # Two opportunities of the department: the activity is listed once.
    assert list(access.visible(Activity.objects.all(), member)) == [activities[in_department.pk]]
    assert access.visible(Activity.objects.all(), member).count() == 1
    assert set(access.visible(Opportunity.objects.all(), member)) == set(
        Opportunity.objects.filter(department=department)
    )
    assert not access.visible(Offer.objects.all(), other).exclude(account__owner=other).exists()


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # a new request's user object


@pytest.mark.parametrize(
    ("role_names", "manages", "admin"),
    [
        ((roles.SALESPERSON,), False, False),
        ((roles.SALES_MANAGER, roles.SALESPERSON), True, False),
        ((), True, False),
        ((), False, False),
        ((roles.ADMIN,), False, True),
    ],
)
def test_roles_and_the_team_are_read_in_one_statement(role_names, manages, admin):
    user = make_user("standing", *role_names)
    if manages:
        Team.objects.create(name="Standing team", manager=user)
        Team.objects.create(name="Second team", manager=user)
    user = _fresh(user)
    with CaptureQueriesContext(connection) as queries:
        assert access.is_admin(user) is admin
        assert access.manages_team(user) is manages
        assert user.role_names == frozenset(role_names)
    assert len(queries) == 1


def test_roles_read_first_leave_the_team_to_its_own_statement():
    user = make_user("standing_later", roles.SALESPERSON)
    Team.objects.create(name="Later team", manager=user)
    user = _fresh(user)
    assert user.role_names == {roles.SALESPERSON}  # read elsewhere first (a template)
    with CaptureQueriesContext(connection) as queries:
        assert access.is_admin(user) is False
        assert access.manages_team(user) is True
    assert len(queries) == 1


def test_a_role_given_between_requests_is_seen_at_the_next():
    user = make_user("standing_change", roles.SALESPERSON)
    assert access.is_admin(_fresh(user)) is False
    user.groups.add(Group.objects.get_or_create(name=roles.ADMIN)[0])
    assert access.is_admin(_fresh(user)) is True
