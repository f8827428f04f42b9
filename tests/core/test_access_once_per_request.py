"""The access policy builds a user's scope of a model once per user object (once per request).

A page asks for the same models' scopes many times (each list, count and
section of the 360° page); `access._scope` keeps what it built on the user
object. These tests hold that memo to the policy: built once, and never
answered from an older scope when what it was built from has changed.
"""

from __future__ import annotations

import re

from obieg.core import access, roles
from obieg.crm.models import Lead, Opportunity
from obieg.solutions.grants.models import GrantProject
from tests.conftest import give_role
from tests.factories import AccountFactory, LeadFactory, OpportunityFactory


def test_a_scope_is_built_once_per_user_object(org, monkeypatch):
    built = []
    build = access._build_scope
    monkeypatch.setattr(
        access,
        "_build_scope",
        lambda model, user, **kw: built.append(model) or build(model, user, **kw),
    )
    for _ in range(3):
        list(access.visible(Opportunity.objects.all(), org.sara))
        list(access.visible(Lead.objects.all(), org.sara))
    assert built == [Opportunity, Lead]

    fresh = type(org.sara).objects.get(pk=org.sara.pk)  # the next request's user
    list(access.visible(Opportunity.objects.all(), fresh))
    assert built == [Opportunity, Lead, Opportunity]


def test_a_changed_department_is_not_answered_from_an_older_scope(org):
    account = AccountFactory(owner=None)
    designs = OpportunityFactory(account=account, owner=None, department=org.design)
    builds = OpportunityFactory(account=account, owner=None, department=org.construction)
    user = org.sara
    assert set(access.visible(Opportunity.objects.all(), user)) == set()

    user.department = org.design
    assert set(access.visible(Opportunity.objects.all(), user)) == {designs}
    user.department = org.construction
    assert set(access.visible(Opportunity.objects.all(), user)) == {builds}


def test_a_role_given_later_is_not_answered_from_an_older_scope(org):
    lead = LeadFactory(owner=None)
    user = org.olga
    assert not access.visible(Lead.objects.filter(pk=lead.pk), user).exists()

    give_role(user, roles.ADMIN)
    assert access.visible(Lead.objects.filter(pk=lead.pk), user).exists()


def test_a_rule_that_names_only_other_records_is_left_out_of_the_sql(org):
    """The cases themselves are no grant project: that rule adds nothing to their scope.

    It used to be compiled in all the same, as "<case type> = <project type>".
    """
    sql = str(access.visible(GrantProject.objects.all(), org.sara).query)
    assert "subject_id" in sql  # the records the user's cases are about stay
    constants = re.findall(r"(?<![\w\".])(\d+) = (\d+)\b", sql)
    assert all(left == right for left, right in constants), constants
