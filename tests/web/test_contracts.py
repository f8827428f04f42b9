"""Contract pages: a contract takes its values from the offer; edits are checked for staleness."""

from decimal import Decimal

from django.urls import reverse

from obieg.sales import services
from obieg.sales.models import Contract, Offer
from tests.factories import AccountFactory, OpportunityFactory

LINES = [
    {
        "description": "Panele",
        "quantity": Decimal("2"),
        "unit": "szt.",
        "unit_cost": Decimal("700"),
        "unit_price": Decimal("1000"),
        "vat_rate": "23",
    },
    {
        "description": "Montaż",
        "quantity": Decimal("10"),
        "unit": "h",
        "unit_cost": Decimal("30"),
        "unit_price": Decimal("50.50"),
        "vat_rate": "8",
    },
]
FORM = {
    "title": "",
    "value_net": "",
    "value_gross": "",
    "signed_on": "2026-02-01",
    "starts_on": "2026-02-01",
    "ends_on": "2026-12-31",
}


def accepted_offer(org) -> Offer:
    account = AccountFactory(owner=org.sara)
    opportunity = OpportunityFactory(owner=org.sara, account=account)
    offer = services.offer_create(
        actor=org.sara, account=account, title="PV 10 kWp", lines=LINES, opportunity=opportunity
    )
    services.offer_set_status(actor=org.sara, offer=offer, status=Offer.Status.SENT)
    return services.offer_set_status(actor=org.sara, offer=offer, status=Offer.Status.ACCEPTED)


def test_a_contract_from_an_offer_takes_the_offers_title_and_values(client, org):
    offer = accepted_offer(org)
    client.force_login(org.sara)
    url = f"{reverse('contract_create')}?offer={offer.pk}"
    form = client.get(url).context["form"]
    assert form.initial["value_gross"] == Decimal("3005.40")

    # Retyped figures do not count: the contract carries what was offered.
    data = {**FORM, "offer": offer.pk, "value_net": "1", "value_gross": "2"}
    response = client.post(url, data)

    contract = Contract.objects.get()
    assert response["Location"] == reverse("contract_detail", args=[contract.pk])
    assert (contract.account, contract.offer, contract.opportunity) == (
        offer.account,
        offer,
        offer.opportunity,
    )
    assert (contract.title, contract.value_net, contract.value_gross) == (
        "PV 10 kWp",
        Decimal("2505.00"),
        Decimal("3005.40"),
    )
    assert contract.number.startswith("UM/") and contract.owner == org.sara


def test_a_contract_without_an_offer_needs_a_title_and_values(client, org):
    account = AccountFactory(owner=org.sara)
    client.force_login(org.sara)
    url = f"{reverse('contract_create')}?account={account.pk}"

    response = client.post(url, FORM)

    assert set(response.context["form"].errors) == {"title", "value_net", "value_gross"}
    assert not Contract.objects.exists()
    client.post(url, {**FORM, "title": "Serwis", "value_net": "1000", "value_gross": "1230"})
    assert Contract.objects.get().value_gross == Decimal("1230.00")


def test_an_offer_of_another_account_cannot_be_chosen(client, org):
    offer = accepted_offer(org)
    other = AccountFactory(owner=org.sara)
    client.force_login(org.sara)
    url = f"{reverse('contract_create')}?account={other.pk}"
    response = client.post(url, {**FORM, "offer": offer.pk})
    assert response.context["form"].errors["offer"]
    assert not Contract.objects.exists()


def test_an_edit_from_a_stale_page_is_refused_and_overwrites_nothing(client, org):
    offer = accepted_offer(org)
    contract = services.contract_create(
        actor=org.sara, account=offer.account, data={"offer": offer}
    )
    client.force_login(org.sara)
    url = reverse("contract_edit", args=[contract.pk])
    revision = client.get(url).context["form"].initial["revision"]
    services.contract_update(
        actor=org.manager, contract=contract, data={"status": Contract.Status.SIGNED}
    )

    data = {
        **FORM,
        "title": "Moja zmiana",
        "status": "draft",
        "value_net": "2505",
        "value_gross": "3005.40",
        "revision": revision,
    }
    response = client.post(url, data)

    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    contract.refresh_from_db()
    assert (contract.title, contract.status) == ("PV 10 kWp", "signed")


def test_contracts_are_listed_only_for_those_who_may_see_them(client, org):
    offer = accepted_offer(org)
    services.contract_create(actor=org.sara, account=offer.account, data={"offer": offer})
    client.force_login(org.olga)
    assert not client.get(reverse("contract_list")).context["page"].rows
    contract = Contract.objects.get()
    assert client.get(reverse("contract_detail", args=[contract.pk])).status_code == 404
    client.force_login(org.accountant)
    assert client.get(reverse("contract_detail", args=[contract.pk])).status_code == 200
    assert client.get(reverse("contract_edit", args=[contract.pk])).status_code == 403
