"""A salesperson drags an opportunity across the kanban board in a real browser."""

from playwright.sync_api import expect

from obieg.crm.models import Opportunity
from tests.factories import AccountFactory, OpportunityFactory


def column(page, stage: str):
    return page.locator(f'.kanban-cards[data-stage="{stage}"]')


def drag(page, opportunity, stage: str):
    """Drag the card onto a column and wait for the server's answer."""
    with page.expect_response(lambda response: "/move/" in response.url) as answer:
        page.locator(f"#opportunity-{opportunity.pk}").drag_to(column(page, stage))
    return answer.value


def test_a_card_dragged_to_the_next_stage_stays_there_after_a_reload(
    transactional_db, org, login, live_server
):
    account = AccountFactory(owner=org.sara, name="Słoneczny Dom")
    opportunity = OpportunityFactory(owner=org.sara, account=account, name="Dach Kowalskich")
    page = login(org.sara)
    page.goto(f"{live_server.url}/opportunities/pipeline/")
    expect(column(page, "qualification").locator(".kanban-card")).to_have_count(1)

    assert drag(page, opportunity, "needs_analysis").status == 200

    card = column(page, "needs_analysis").locator(f"#opportunity-{opportunity.pk}")
    expect(card).to_have_attribute("data-stage", "needs_analysis")
    expect(page.locator('[data-stage="needs_analysis"] [data-role="count"]')).to_have_text("1")
    page.reload()
    expect(column(page, "needs_analysis").locator(f"#opportunity-{opportunity.pk}")).to_be_visible()
    expect(column(page, "qualification").locator(".kanban-card")).to_have_count(0)
    assert Opportunity.objects.get().stage == "needs_analysis"


def test_a_refused_move_puts_the_card_back_and_says_why(transactional_db, org, login, live_server):
    # The board sees escalated opportunities but may not change them.
    opportunity = OpportunityFactory(owner=org.sara, escalated_to_board=True)
    page = login(org.board)
    page.goto(f"{live_server.url}/opportunities/pipeline/")

    assert drag(page, opportunity, "needs_analysis").status == 403

    expect(page.locator("#pipeline-message")).to_contain_text("not change it")
    expect(column(page, "qualification").locator(f"#opportunity-{opportunity.pk}")).to_be_visible()
    expect(column(page, "needs_analysis").locator(".kanban-card")).to_have_count(0)
    assert Opportunity.objects.get().stage == "qualification"
