"""The access policy (SPEC P7) as a table: persona × model → which records they see and change.

Six record sets, each an account with a contact, an activity, a lead, an
opportunity, an offer, a contract and a document, all linked together:

    sara, tomasz   owned by the two salespeople of Maria's sales team
    olga           owned by a salesperson of another team (no manager)
    construction   owned by Olga, its lead and opportunities in the Construction department
    design         owned by nobody, its lead and opportunity in the Design department
    escalated      owned by nobody, its opportunities escalated to the board

The construction and escalated sets have two opportunities each, so any join
through `account.opportunities` would repeat their rows.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.http import Http404

from obieg.core import access, roles
from obieg.core.errors import PermissionDenied
from obieg.crm import services
from obieg.crm.models import Account, Activity, ContactPerson, Lead, Opportunity
from obieg.documents.models import Document
from obieg.sales.models import Contract, Offer
from tests.conftest import make_user
from tests.factories import (
    AccountFactory,
    ActivityFactory,
    ContactFactory,
    LeadFactory,
    OpportunityFactory,
)

MODELS = [Account, ContactPerson, Activity, Lead, Opportunity, Offer, Contract, Document]
FINANCE = {Account, ContactPerson, Offer, Contract, Document}
SETS = ("sara", "tomasz", "olga", "construction", "design", "escalated")
EVERYTHING = frozenset(SETS)
NOTHING = frozenset()

# persona      → (sees, may change, {model: sees instead} for the exceptions)
MATRIX = {
    "sara": ({"sara"}, {"sara"}, {}),
    "tomasz": ({"tomasz"}, {"tomasz"}, {}),
    "olga": ({"olga", "construction"}, {"olga", "construction"}, {}),
    "manager": ({"sara", "tomasz"}, {"sara", "tomasz"}, {}),
    "head": ({"construction"}, {"construction"}, {}),
    "designer": ({"design"}, {"design"}, {}),
    # Leads are never escalated, so the board sees none of them.
    "board": ({"escalated"}, NOTHING, {Lead: NOTHING}),
    # Accounting reads the finance side of every customer, nothing of the sales work.
    "accountant": (EVERYTHING, NOTHING, {Activity: NOTHING, Lead: NOTHING, Opportunity: NOTHING}),
    "admin": (EVERYTHING, EVERYTHING, {}),
    "stranger": (NOTHING, NOTHING, {}),
    "inactive_admin": (NOTHING, NOTHING, {}),
    "anonymous": (NOTHING, NOTHING, {}),
}


def expected(persona: str, model) -> tuple[frozenset, frozenset]:
    sees, changes, exceptions = MATRIX[persona]
    sees = frozenset(exceptions.get(model, sees))
    return sees, frozenset(changes) & sees


class World:
    """The org personas plus the six record sets."""

    def __init__(self, org):
        self.org = org
        self.personas = {
            "sara": org.sara,
            "tomasz": org.tomasz,
            "olga": org.olga,
            "manager": org.manager,
            "head": org.head,
            "designer": org.designer,
            "board": org.board,
            "accountant": org.accountant,
            "admin": org.admin,
            "stranger": org.stranger,
            "inactive_admin": make_user("ignacy", roles.ADMIN, is_active=False),
            "anonymous": AnonymousUser(),
        }
        self.sets = {
            "sara": self._build("sara", owner=org.sara),
            "tomasz": self._build("tomasz", owner=org.tomasz),
            "olga": self._build("olga", owner=org.olga),
            "construction": self._build(
                "construction", owner=org.olga, department=org.construction, opportunities=2
            ),
            "design": self._build("design", owner=None, department=org.design),
            "escalated": self._build("escalated", owner=None, escalated=True, opportunities=2),
        }

    @staticmethod
    def _build(name, *, owner, department=None, escalated=False, opportunities=1):
        account = AccountFactory(name=f"Account {name}", owner=owner)
        opportunity = None
        for index in range(opportunities):
            opportunity = OpportunityFactory(
                account=account,
                name=f"Opportunity {name} {index}",
                owner=owner,
                department=department,
                escalated_to_board=escalated,
            )
        return {
            Account: account,
            ContactPerson: ContactFactory(account=account),
            Activity: ActivityFactory(account=account, owner=owner),
            Lead: LeadFactory(company_name=f"Lead {name}", owner=owner, department=department),
            Opportunity: opportunity,
            Offer: Offer.objects.create(
                number=f"OF/{name}", account=account, opportunity=opportunity, title=name
            ),
            Contract: Contract.objects.create(
                number=f"UM/{name}", account=account, opportunity=opportunity, title=name
            ),
            Document: Document.objects.create(
                title=f"Document {name}", kind=Document.Kind.OFFER, account=account
            ),
        }

    def set_of(self, model, pk) -> str:
        for name, records in self.sets.items():
            if records[model].pk == pk:
                return name
        # A second opportunity of the same set.
        return Opportunity.objects.get(pk=pk).name.split()[1]


@pytest.fixture
def world(org) -> World:
    return World(org)


CASES = [
    pytest.param(persona, model, id=f"{persona}-{model.__name__}")
    for persona in MATRIX
    for model in MODELS
]


@pytest.mark.parametrize(("persona", "model"), CASES)
def test_visible_returns_exactly_the_records_of_the_persona(world, persona, model):
    user = world.personas[persona]
    sees, _changes = expected(persona, model)

    pks = list(access.visible(model.objects.all(), user).values_list("pk", flat=True))

    assert len(pks) == len(set(pks)), "visible() repeated a record"
    assert {world.set_of(model, pk) for pk in pks} == sees


@pytest.mark.parametrize(("persona", "model"), CASES)
def test_can_change_only_what_the_persona_may_change(world, persona, model):
    user = world.personas[persona]
    _sees, changes = expected(persona, model)

    allowed = {name for name in SETS if access.can_change(user, world.sets[name][model])}
    changeable = access.changeable(model.objects.all(), user).values_list("pk", flat=True)

    assert allowed == changes
    assert {world.set_of(model, pk) for pk in changeable} == changes


@pytest.mark.parametrize(
    ("persona", "model"),
    [("head", Account), ("head", ContactPerson), ("head", Activity), ("head", Document)]
    + [("board", Account), ("board", ContactPerson), ("board", Activity), ("board", Document)],
)
def test_a_record_reached_through_two_opportunities_is_listed_once(world, persona, model):
    user = world.personas[persona]
    visible = access.visible(model.objects.all(), user)

    assert visible.count() == 1
    assert len(list(visible)) == 1
    assert len(list(visible.order_by("pk"))) == 1


def test_the_owner_still_sees_a_record_once_when_two_rules_match(world):
    # Olga owns the construction set; make her a Construction member too.
    olga = world.org.olga
    olga.department = world.org.construction
    olga.save()
    account = world.sets["construction"][Account]

    pks = list(access.visible(Account.objects.all(), olga).values_list("pk", flat=True))

    assert pks.count(account.pk) == 1


def test_an_owner_who_is_deactivated_sees_and_changes_nothing(world):
    sara = world.org.sara
    sara.is_active = False
    sara.save()
    account = world.sets["sara"][Account]

    assert not access.visible(Account.objects.all(), sara).exists()
    assert not access.can_change(sara, account)
    with pytest.raises(Http404):
        access.get_visible_or_404(Account.objects.all(), sara, pk=account.pk)


def test_manager_loses_sight_of_a_salesperson_who_leaves_the_team(world):
    tomasz = world.org.tomasz
    tomasz.team = world.org.other_team
    tomasz.save()

    names = set(
        access.visible(Account.objects.all(), world.org.manager).values_list("name", flat=True)
    )

    assert names == {"Account sara"}


def test_get_visible_or_404_returns_a_visible_record(world):
    account = world.sets["sara"][Account]
    found = access.get_visible_or_404(Account.objects.all(), world.org.sara, pk=account.pk)
    assert found == account


def test_get_visible_or_404_hides_a_record_of_someone_else(world):
    account = world.sets["tomasz"][Account]
    with pytest.raises(Http404):
        access.get_visible_or_404(Account.objects.all(), world.org.sara, pk=account.pk)


@pytest.mark.parametrize("pk", ["abc", "", "1.5", "1; DROP TABLE x", None, 10**30, -1, [1]])
def test_get_visible_or_404_answers_404_for_a_malformed_pk(world, pk):
    with pytest.raises(Http404):
        access.get_visible_or_404(Account.objects.all(), world.org.admin, pk=pk)


def test_ensure_can_change_refuses_the_board_an_escalated_record_it_can_see(world):
    from obieg.core.errors import PermissionDenied

    opportunity = world.sets["escalated"][Opportunity]
    assert access.visible(Opportunity.objects.filter(pk=opportunity.pk), world.org.board).exists()
    with pytest.raises(PermissionDenied):
        access.ensure_can_change(world.org.board, opportunity)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("sara", True),
        ("manager", True),
        ("head", True),
        ("designer", True),
        ("admin", True),
        ("board", False),
        ("accountant", False),
        ("stranger", False),
    ],
)
def test_only_working_roles_may_add_records_of_their_own(org, persona, allowed):
    user = getattr(org, persona)
    if allowed:
        services.account_create(actor=user, data={"name": "Nowa firma"})
        assert Account.objects.filter(name="Nowa firma", owner=user).exists()
    else:
        with pytest.raises(PermissionDenied):
            services.account_create(actor=user, data={"name": "Nowa firma"})
        assert not Account.objects.filter(name="Nowa firma").exists()


def test_every_role_exists_as_a_group_after_migrate(db):
    assert set(roles.ALL_ROLES) <= set(Group.objects.values_list("name", flat=True))
