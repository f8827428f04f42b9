"""The kanban pipeline: what each person sees and moving a card to another stage."""

from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse

from obieg.core.pagination import COUNT_CAP
from obieg.crm.models import Opportunity
from obieg.crm.selectors.board import FIRST_CARDS
from tests.factories import AccountFactory, OpportunityFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def columns(response) -> dict:
    return {column.stage: column for column in response.context["columns"]}


def test_the_board_shows_one_column_per_stage_with_only_visible_cards(client, org):
    mine = OpportunityFactory(owner=org.sara, name="Sara's roof", value=Decimal("1000.50"))
    OpportunityFactory(owner=org.sara, stage="proposal", value=Decimal("2000"))
    OpportunityFactory(owner=org.olga, name="Olga's roof")
    client.force_login(org.sara)

    response = client.get(reverse("opportunity_pipeline"))

    board = columns(response)
    assert list(board) == [stage for stage, _label in Opportunity.Stage.choices]
    assert [card.pk for card in board["qualification"].cards] == [mine.pk]
    assert (board["qualification"].count, board["qualification"].total) == (1, Decimal("1000.50"))
    assert board["proposal"].count == 1
    html = response.content.decode()
    assert "Sara&#x27;s roof" in html and "Olga" not in html
    assert "1\xa0000,50\xa0zł" in html


def test_a_manager_sees_the_team_and_can_narrow_to_their_own(client, org):
    OpportunityFactory(owner=org.sara)
    OpportunityFactory(owner=org.tomasz)
    OpportunityFactory(owner=org.olga)
    own = OpportunityFactory(owner=org.manager)
    client.force_login(org.manager)

    everyone = columns(client.get(reverse("opportunity_pipeline")))["qualification"]
    assert everyone.count == 3
    mine = columns(client.get(reverse("opportunity_pipeline"), {"scope": "mine"}))
    assert [card.pk for card in mine["qualification"].cards] == [own.pk]


def test_a_column_draws_the_cards_closing_soonest_and_counts_the_rest(client, org):
    today = date(2026, 1, 1)
    for days in range(FIRST_CARDS + 5):
        OpportunityFactory(owner=org.sara, expected_close=today + timedelta(days=days))
    undated = OpportunityFactory(owner=org.sara, expected_close=None)
    client.force_login(org.sara)

    response = client.get(reverse("opportunity_pipeline"))

    column = columns(response)["qualification"]
    assert column.count == FIRST_CARDS + 6
    assert len(column.cards) == FIRST_CARDS
    assert column.cards[0].expected_close == today
    assert undated not in column.cards
    assert "and 6 more" in response.content.decode()


def test_a_crowded_column_shows_a_capped_count_and_a_lower_bound_sum(client, org):
    account = AccountFactory(owner=org.sara)
    Opportunity.objects.bulk_create(
        Opportunity(account=account, name=f"PV {n}", owner=org.sara, value=Decimal("100"))
        for n in range(COUNT_CAP + 5)
    )
    client.force_login(org.sara)

    response = client.get(reverse("opportunity_pipeline"))

    column = columns(response)["qualification"]
    assert column.capped and column.count == COUNT_CAP + 1
    assert len(column.cards) == FIRST_CARDS
    html = response.content.decode()
    assert f"{COUNT_CAP}+" in html and "≥ 100\xa0100,00\xa0zł" in html


def test_the_board_reads_a_fixed_number_of_queries(client, org, django_assert_max_num_queries):
    for index in range(60):
        OpportunityFactory(owner=org.sara, stage=Opportunity.Stage.values[index % 6])
    client.force_login(org.manager)
    # Session, user, roles, the team check, then a capped count and the cards per stage.
    with django_assert_max_num_queries(4 + 2 * len(Opportunity.Stage.values)):
        response = client.get(reverse("opportunity_pipeline"))
    assert sum(column.count for column in response.context["columns"]) == 60


def test_moving_a_card_changes_the_stage_and_answers_with_the_card(client, org):
    opportunity = OpportunityFactory(owner=org.sara)
    client.force_login(org.sara)

    response = client.post(
        reverse("opportunity_move", args=[opportunity.pk]), {"stage": "proposal"}, **HTMX
    )

    assert response.status_code == 200
    assert f'id="opportunity-{opportunity.pk}"' in response.content.decode()
    assert 'data-stage="proposal"' in response.content.decode()
    opportunity.refresh_from_db()
    assert (opportunity.stage, opportunity.probability) == ("proposal", 50)


def test_moving_to_won_closes_the_opportunity(client, org):
    opportunity = OpportunityFactory(owner=org.sara, stage="negotiation")
    client.force_login(org.sara)
    client.post(reverse("opportunity_move", args=[opportunity.pk]), {"stage": "won"}, **HTMX)
    opportunity.refresh_from_db()
    assert opportunity.stage == "won" and opportunity.closed_at is not None


def test_another_salespersons_card_cannot_be_moved(client, org):
    opportunity = OpportunityFactory(owner=org.olga)
    client.force_login(org.sara)
    response = client.post(
        reverse("opportunity_move", args=[opportunity.pk]), {"stage": "won"}, **HTMX
    )
    assert response.status_code == 404
    assert Opportunity.objects.get().stage == "qualification"


def test_an_unknown_stage_is_refused_with_a_message(client, org):
    opportunity = OpportunityFactory(owner=org.sara)
    client.force_login(org.sara)
    response = client.post(
        reverse("opportunity_move", args=[opportunity.pk]), {"stage": "heaven"}, **HTMX
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "Unknown stage."
    assert Opportunity.objects.get().stage == "qualification"


def test_the_board_can_see_an_escalated_card_but_not_move_it(client, org):
    opportunity = OpportunityFactory(owner=org.sara, escalated_to_board=True)
    client.force_login(org.board)
    response = client.post(
        reverse("opportunity_move", args=[opportunity.pk]), {"stage": "won"}, **HTMX
    )
    assert response.status_code == 403
    assert Opportunity.objects.get().stage == "qualification"


def test_a_move_without_htmx_goes_back_to_the_opportunity(client, org):
    opportunity = OpportunityFactory(owner=org.sara)
    client.force_login(org.sara)
    response = client.post(
        reverse("opportunity_move", args=[opportunity.pk]), {"stage": "needs_analysis"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("opportunity_detail", args=[opportunity.pk])
    assert Opportunity.objects.get().stage == "needs_analysis"


def test_a_move_needs_a_post(client, org):
    opportunity = OpportunityFactory(owner=org.sara)
    client.force_login(org.sara)
    assert client.get(reverse("opportunity_move", args=[opportunity.pk])).status_code == 405
