"""A PV opportunity moves through the pipeline with its case and carries the current value."""

from decimal import Decimal

from obieg.crm import services as crm
from obieg.crm.models import Opportunity
from obieg.crm.selectors import pipeline
from obieg.solutions.pv_installation import services
from tests.solutions.pv_installation.helpers import (
    DESIGN,
    NET,
    accept_offer,
    case_of,
    complete,
    new_project,
    reload,
    to_offer,
)

CHEAPER = {**DESIGN, "lines": "Moduł | 14 | szt. | 420 | 600\nFalownik | 1 | szt. | 5200 | 6000"}


def opportunity(project) -> Opportunity:
    return Opportunity.objects.get(pk=project.opportunity_id)


def funnel(user) -> dict[str, tuple[int, Decimal]]:
    return {row.stage: (row.count, row.total) for row in pipeline.my_open_pipeline(user)}


def test_the_opportunity_follows_the_case_from_lead_to_won(org):
    project = new_project(org)
    assert (opportunity(project).stage, opportunity(project).value) == ("qualification", 0)

    project = to_offer(org, project)
    assert (opportunity(project).stage, opportunity(project).value) == ("proposal", NET)
    assert opportunity(project).probability == 50
    assert funnel(org.sara)["proposal"] == (1, Decimal(NET))

    # A second round: still a proposal, worth what the new offer is worth.
    services.customer_answer_offer(
        project=project, offer_id=project.offer_id, accept=False, comment="Taniej"
    )
    complete(case_of(project), "design", org.designer, CHEAPER)
    assert (opportunity(project).stage, opportunity(project).value) == ("proposal", 14 * 600 + 6000)

    accept_offer(reload(project))
    project = reload(project)
    assert opportunity(project).stage == "negotiation"
    assert opportunity(project).value == project.contract.value_net == 14 * 600 + 6000
    assert funnel(org.sara)["negotiation"] == (1, project.contract.value_net)

    complete(case_of(project), "approve_contract", org.manager, {"contract_approved": "yes"})
    services.customer_answer_contract(
        project=reload(project),
        contract_id=project.contract_id,
        accept=False,
        comment="Inny termin",
    )
    assert opportunity(project).stage == "negotiation"  # changes asked: not back, not won
    complete(case_of(project), "revise_contract", org.sara, {"advance_percent": "30"})
    complete(case_of(project), "approve_contract", org.manager, {"contract_approved": "yes"})
    services.customer_accept_contract(project=reload(project), contract_id=project.contract_id)
    won = opportunity(project)
    assert (won.stage, won.probability, won.value) == ("won", 100, project.contract.value_net)
    assert won.closed_at is not None
    assert sum(count for count, _total in funnel(org.sara).values()) == 0  # out of the funnel


def test_the_managers_forecast_weighs_the_pv_opportunities(org):
    to_offer(org, new_project(org))
    (row,) = pipeline.team_open_totals(org.manager)
    assert (row["total"], row["weighted"]) == (Decimal(NET), Decimal(NET) / 2)


def test_a_closed_opportunity_is_not_reopened_by_the_process(org):
    project = new_project(org)
    crm.opportunity_move_stage(actor=org.sara, opportunity=opportunity(project), stage="lost")
    to_offer(org, project)
    assert (opportunity(project).stage, opportunity(project).value) == ("lost", 0)


def test_a_later_offer_does_not_take_a_negotiation_back(org):
    project = new_project(org)
    crm.opportunity_move_stage(
        actor=org.sara, opportunity=opportunity(project), stage="negotiation"
    )
    crm.opportunity_advance(
        actor=org.sara, opportunity=opportunity(project), stage="proposal", value=Decimal(5000)
    )
    assert (opportunity(project).stage, opportunity(project).value) == ("negotiation", 5000)
