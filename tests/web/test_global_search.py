"""The header's global search: every kind, Polish letters, access rules, htmx drop-down."""

import pytest
from django.urls import reverse

from obieg.web import global_search
from tests.factories import AccountFactory, ContactFactory, LeadFactory, OpportunityFactory

SEARCH = reverse("global_search")


def _titles(groups) -> dict[str, list[str]]:
    return {group.kind: [hit.title for hit in group.hits] for group in groups}


def test_a_name_without_polish_letters_finds_records_of_every_crm_kind(org):
    customer = AccountFactory(name="Łódzka Spółdzielnia", owner=org.sara)
    ContactFactory(account=customer, first_name="Żaneta", last_name="Łódzka")
    LeadFactory(company_name="Łódzki Browar", owner=org.sara)
    OpportunityFactory(name="Dach", account=customer, owner=org.sara)
    titles = _titles(global_search.search(org.sara, "lodzk"))
    assert titles == {
        "accounts": ["Łódzka Spółdzielnia"],
        "contacts": ["Żaneta Łódzka"],
        "leads": ["Łódzki Browar"],
        "opportunities": ["Dach"],  # found through its customer's name
    }


def test_only_what_the_user_may_see_is_found(org):
    AccountFactory(name="Żółw Mój", owner=org.sara)
    AccountFactory(name="Żółw Cudzy", owner=org.olga)
    LeadFactory(company_name="Żółw Lead", owner=org.olga)
    assert _titles(global_search.search(org.sara, "zolw")) == {"accounts": ["Żółw Mój"]}
    assert _titles(global_search.search(org.admin, "zolw"))["accounts"] == [
        "Żółw Cudzy",
        "Żółw Mój",
    ]


@pytest.mark.parametrize("typed", ["6001002", "+48 600 100 200", "600-100-200"])
def test_a_phone_number_finds_customers_contacts_and_leads(org, typed):
    customer = AccountFactory(name="Dzwoniący", phone="600 100 200", owner=org.sara)
    ContactFactory(account=customer, first_name="Ola", last_name="Tel", phone="+48600100200")
    LeadFactory(company_name="Lead z telefonem", phone="600100200", owner=org.sara)
    titles = _titles(global_search.search(org.sara, typed))
    assert titles == {
        "accounts": ["Dzwoniący"],
        "contacts": ["Ola Tel"],
        "leads": ["Lead z telefonem"],
    }


def test_nip_email_and_regon_find_the_customer(org):
    customer = AccountFactory(
        name="Identyfikowalna",
        nip="5260250274",
        regon="123456785",
        email="Biuro@Firma.pl",
        owner=org.sara,
    )
    for typed in ("526-025", "5260250274", "123456785", "biuro@firma.PL"):
        assert _titles(global_search.search(org.sara, typed)).get("accounts") == [customer.name], (
            typed
        )


def test_more_than_a_few_offers_more_on_the_filtered_list(org):
    for index in range(global_search.PER_KIND + 1):
        AccountFactory(name=f"Żuraw {index}", owner=org.sara)
    (group,) = global_search.search(org.sara, "zuraw")
    assert len(group.hits) == global_search.PER_KIND and group.has_more
    assert group.more_url == reverse("account_list") + "?q=zuraw"


def test_too_short_a_query_searches_nothing(org):
    AccountFactory(name="Ab", owner=org.sara)
    assert global_search.search(org.sara, "ab") == []
    assert global_search.Terms.parse("ab").empty


def test_the_drop_down_comes_for_htmx_and_a_page_otherwise(client, org):
    AccountFactory(name="Łąkowa Farma", owner=org.sara)
    client.force_login(org.sara)
    drop_down = client.get(SEARCH, {"q": "lakowa"}, HTTP_HX_REQUEST="true")
    assert drop_down.status_code == 200
    assert "<html" not in drop_down.content.decode()
    assert "Łąkowa Farma" in drop_down.content.decode()
    page = client.get(SEARCH, {"q": "lakowa"})
    assert "<html" in page.content.decode() and "Łąkowa Farma" in page.content.decode()


def test_the_search_page_shows_more_of_one_kind(client, org):
    customer = AccountFactory(name="Kontaktowa", owner=org.sara)
    for index in range(global_search.PER_KIND + 2):
        ContactFactory(account=customer, first_name="Źdźisław", last_name=f"Nr{index}")
    client.force_login(org.sara)
    (group,) = global_search.search(org.sara, "zdzislaw")
    assert group.has_more and "kind=contacts" in group.more_url
    page = client.get(group.more_url)
    assert page.status_code == 200
    assert len(page.context["groups"][0].hits) == global_search.PER_KIND + 2


def test_nothing_found_and_bad_input_are_answered_not_errors(client, org):
    client.force_login(org.sara)
    for params in ({"q": "nic takiego"}, {"q": "x" * 5000}, {"q": "a"}, {"kind": "bogus"}, {}):
        assert client.get(SEARCH, params).status_code == 200, params


def test_the_search_needs_a_login(client, db):
    assert client.get(SEARCH, {"q": "abc"}).status_code == 302


def test_every_page_has_the_box_with_its_shortcut(client, org):
    client.force_login(org.sara)
    html = client.get(reverse("account_list")).content.decode()
    assert 'id="global-search"' in html and 'aria-keyshortcuts="/ Control+K"' in html


def test_offers_contracts_and_documents_by_number_or_customer(org):
    from decimal import Decimal

    from obieg.documents.models import Document
    from obieg.sales import services as sales

    customer = AccountFactory(name="Gospodarstwo Żyto", owner=org.sara)
    line = {
        "description": "Panele",
        "quantity": Decimal("1"),
        "unit": "szt.",
        "unit_cost": Decimal("1"),
        "unit_price": Decimal("2"),
        "vat_rate": "23",
    }
    offer = sales.offer_create(actor=org.sara, account=customer, title="PV", lines=[line])
    contract = sales.contract_create(
        actor=org.sara, account=customer, data={"title": "Umowa PV", "number": "UM/TEST/1"}
    )
    Document.objects.create(account=customer, title="Protokół", kind="protocol")
    Document.objects.create(account=AccountFactory(owner=org.olga), title="Cudzy", kind="protocol")
    by_customer = _titles(global_search.search(org.sara, "zyto"))
    assert by_customer["offers"] == [str(offer)]
    assert by_customer["contracts"] == [contract.number]
    assert by_customer["documents"] == ["Protokół"]
    by_number = _titles(global_search.search(org.sara, offer.number.lower()))
    assert by_number["offers"] == [str(offer)]


def test_documents_by_their_own_title_with_or_without_polish_letters(org):
    from obieg.documents.models import Document

    customer = AccountFactory(name="Kowalski Sp. z o.o.", owner=org.sara)
    Document.objects.create(account=customer, title="Protokół odbioru Łódź", kind="protocol")
    hidden = AccountFactory(name="Nowak", owner=org.olga)
    Document.objects.create(account=hidden, title="Protokół odbioru Łódź 2", kind="protocol")

    assert _titles(global_search.search(org.sara, "protokol odbioru lodz"))["documents"] == [
        "Protokół odbioru Łódź"
    ]
    renamed = Document.objects.get(account=customer)
    renamed.title = "Umowa serwisowa"
    renamed.save(update_fields=["title"])
    assert "documents" not in _titles(global_search.search(org.sara, "odbioru"))
    assert _titles(global_search.search(org.sara, "serwisowa"))["documents"] == ["Umowa serwisowa"]
