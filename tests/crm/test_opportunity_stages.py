"""Pipeline stages: default probabilities, closing and reopening, who may move an opportunity."""

from __future__ import annotations

import pytest

from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.core.models import AuditEntry
from obieg.crm import services as crm
from obieg.crm.models import Opportunity
from tests.factories import AccountFactory

Stage = Opportunity.Stage


@pytest.fixture
def opportunity(org):
    account = AccountFactory(owner=org.sara)
    return crm.opportunity_create(actor=org.sara, account=account, data={"name": "PV 8 kWp"})


def test_a_new_opportunity_starts_open_in_qualification(opportunity):
    assert (opportunity.stage, opportunity.probability, opportunity.closed_at) == (
        Stage.QUALIFICATION,
        10,
        None,
    )
    assert opportunity.is_open


@pytest.mark.parametrize(
    ("stage", "probability"),
    [
        (Stage.NEEDS_ANALYSIS, 25),
        (Stage.PROPOSAL, 50),
        (Stage.NEGOTIATION, 75),
    ],
)
def test_moving_to_an_open_stage_sets_its_default_probability(org, opportunity, stage, probability):
    moved = crm.opportunity_move_stage(actor=org.sara, opportunity=opportunity, stage=stage)

    moved.refresh_from_db()
    assert (moved.stage, moved.probability, moved.closed_at) == (stage, probability, None)
    assert moved.is_open


@pytest.mark.parametrize(("stage", "probability"), [(Stage.WON, 100), (Stage.LOST, 0)])
def test_winning_or_losing_closes_the_opportunity(org, opportunity, stage, probability):
    moved = crm.opportunity_move_stage(actor=org.sara, opportunity=opportunity, stage=stage)

    moved.refresh_from_db()
    assert (moved.stage, moved.probability) == (stage, probability)
    assert moved.closed_at is not None
    assert not moved.is_open


def test_reopening_a_lost_opportunity_clears_closed_at(org, opportunity):
    lost = crm.opportunity_move_stage(actor=org.sara, opportunity=opportunity, stage=Stage.LOST)

    reopened = crm.opportunity_move_stage(actor=org.sara, opportunity=lost, stage=Stage.NEGOTIATION)

    reopened.refresh_from_db()
    assert (reopened.stage, reopened.probability, reopened.closed_at) == (
        Stage.NEGOTIATION,
        75,
        None,
    )


def test_an_opportunity_created_as_won_is_closed(org):
    account = AccountFactory(owner=org.sara)

    won = crm.opportunity_create(
        actor=org.sara, account=account, data={"name": "PV", "stage": Stage.WON}
    )

    assert (won.probability, won.closed_at is not None) == (100, True)


def test_an_explicit_probability_wins_over_the_default(org, opportunity):
    moved = crm.opportunity_update(
        actor=org.sara,
        opportunity=opportunity,
        data={"stage": Stage.PROPOSAL, "probability": 60},
    )

    assert (moved.stage, moved.probability) == (Stage.PROPOSAL, 60)


def test_moving_is_audited_with_the_old_and_new_stage(org, opportunity):
    crm.opportunity_move_stage(actor=org.sara, opportunity=opportunity, stage=Stage.WON)

    entry = AuditEntry.objects.filter(object_id=opportunity.pk, action="update").get()
    assert entry.changes["stage"] == ["qualification", "won"]
    assert entry.changes["probability"] == ["10", "100"]
    assert entry.changes["closed_at"][0] is None


def test_moving_to_the_same_stage_changes_nothing(org, opportunity):
    crm.opportunity_move_stage(actor=org.sara, opportunity=opportunity, stage=Stage.QUALIFICATION)

    opportunity.refresh_from_db()
    assert opportunity.revision == 1
    assert not AuditEntry.objects.filter(object_id=opportunity.pk, action="update").exists()


@pytest.mark.parametrize("stage", ["closed", "", "WON", None])
def test_an_unknown_stage_is_refused(org, opportunity, stage):
    with pytest.raises(ApplicationError) as raised:
        crm.opportunity_move_stage(actor=org.sara, opportunity=opportunity, stage=stage)

    assert "stage" in raised.value.field_errors
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.QUALIFICATION


@pytest.mark.parametrize("stage", ["closed", "WON"])
def test_an_unknown_stage_through_a_plain_update_is_refused_with_a_field_error(
    org, opportunity, stage
):
    with pytest.raises(ApplicationError) as raised:
        crm.opportunity_update(actor=org.sara, opportunity=opportunity, data={"stage": stage})

    assert "stage" in raised.value.field_errors
    opportunity.refresh_from_db()
    assert (opportunity.stage, opportunity.revision) == (Stage.QUALIFICATION, 1)


@pytest.mark.parametrize("persona", ["tomasz", "olga", "board", "accountant", "stranger"])
def test_only_those_who_may_change_it_move_it(org, opportunity, persona):
    with pytest.raises(PermissionDenied):
        crm.opportunity_move_stage(
            actor=getattr(org, persona), opportunity=opportunity, stage=Stage.WON
        )

    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.QUALIFICATION


@pytest.mark.parametrize("persona", ["manager", "admin"])
def test_the_team_manager_and_the_admin_may_move_it(org, opportunity, persona):
    moved = crm.opportunity_move_stage(
        actor=getattr(org, persona), opportunity=opportunity, stage=Stage.PROPOSAL
    )

    assert moved.stage == Stage.PROPOSAL


def test_weighted_value_is_value_times_probability(org, opportunity):
    opportunity = crm.opportunity_update(
        actor=org.sara, opportunity=opportunity, data={"value": "40000.00", "stage": "proposal"}
    )
    assert opportunity.weighted_value == 20000
