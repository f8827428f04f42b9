"""Every business record's page shows who changed what (the audit trail)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from obieg.crm import services as crm
from obieg.sales import services as sales
from tests.factories import AccountFactory, OpportunityFactory

LINE = {
    "description": "Panel",
    "quantity": Decimal("2"),
    "unit_price": Decimal("900"),
    "vat_rate": "8",
}


@pytest.fixture
def records(org):
    account = AccountFactory(owner=org.sara)
    lead = crm.lead_create(
        actor=org.sara, data={"contact_name": "Jan Nowak", "phone": "600100200", "source": "phone"}
    )
    opportunity = OpportunityFactory(account=account, owner=org.sara)
    crm.opportunity_move_stage(actor=org.sara, opportunity=opportunity, stage="needs_analysis")
    offer = sales.offer_create(actor=org.sara, account=account, title="Oferta PV", lines=[LINE])
    contract = sales.contract_create(actor=org.sara, account=account, data={"offer": offer})
    return {
        "lead_detail": lead,
        "opportunity_detail": opportunity,
        "offer_detail": offer,
        "contract_detail": contract,
    }


@pytest.mark.parametrize(
    "view", ["lead_detail", "opportunity_detail", "offer_detail", "contract_detail"]
)
def test_the_detail_page_shows_the_records_history(client, org, records, view):
    client.force_login(org.sara)
    html = client.get(reverse(view, args=[records[view].pk])).content.decode()
    assert 'id="history"' in html
    assert "No recorded changes." not in html
    assert str(org.sara) in html


def test_a_stage_change_is_shown_with_old_and_new_value(client, org, records):
    client.force_login(org.sara)
    html = client.get(
        reverse("opportunity_detail", args=[records["opportunity_detail"].pk])
    ).content.decode()
    history = html[html.index('id="history"') :]
    assert "qualification</span> → needs analysis" in history
