"""Lists find "lodz" in Łódź and sort Dąbrowski before Drukarnia, on SQLite and PostgreSQL."""

import importlib
from types import SimpleNamespace

from django.apps import apps
from django.db import connection

from obieg.crm.models import Account, ContactPerson, Lead, Opportunity
from obieg.crm.selectors import pipeline
from obieg.crm.selectors.accounts import AccountFilters, account_page
from tests.factories import AccountFactory, ContactFactory, LeadFactory, OpportunityFactory


def _names(page) -> list[str]:
    return [row.name for row in page.rows]


def test_account_search_ignores_accents_and_case_in_name_and_town(org):
    AccountFactory(name="Żółw Sp. z o.o.", city="Kraków", owner=org.sara)
    AccountFactory(name="Piekarnia", city="Łódź", owner=org.sara)
    AccountFactory(name="Inna", city="Gdańsk", owner=org.sara)
    assert _names(account_page(org.sara, AccountFilters(search="zolw"))) == ["Żółw Sp. z o.o."]
    assert _names(account_page(org.sara, AccountFilters(search="LODZ"))) == ["Piekarnia"]
    assert _names(account_page(org.sara, AccountFilters(search="łódź"))) == ["Piekarnia"]


def test_account_search_shows_only_what_the_reader_may_see(org):
    AccountFactory(name="Łódzkie Okna", owner=org.sara)
    AccountFactory(name="Łódzkie Drzwi", owner=org.olga)
    assert _names(account_page(org.sara, AccountFilters(search="lodzkie"))) == ["Łódzkie Okna"]


def test_accounts_sort_in_polish_order_across_keyset_pages(org):
    names = ["Drukarnia", "Dąbrowski", "Julia", "Józef", "Łukasz", "Lucyna", "Żaba", "Zenon", "Ćma"]
    for name in names:
        AccountFactory(name=name, owner=org.sara)
    seen, cursor = [], None
    while True:
        page = account_page(org.sara, AccountFilters(sort="name"), cursor=cursor, size=2)
        seen += _names(page)
        if not page.has_next:
            break
        cursor = page.next_cursor
    expected = [
        "Ćma",
        "Dąbrowski",
        "Drukarnia",
        "Józef",
        "Julia",
        "Lucyna",
        "Łukasz",
        "Zenon",
        "Żaba",
    ]
    assert seen == expected


def test_search_results_come_in_polish_order_too(org):
    for name in ["Drukarnia Łódź", "Dąbrowski Łódź", "Agro Łódź"]:
        AccountFactory(name=name, owner=org.sara)
    page = account_page(org.sara, AccountFilters(search="lodz", sort="name"))
    assert _names(page) == ["Agro Łódź", "Dąbrowski Łódź", "Drukarnia Łódź"]


def test_lead_search_finds_company_contact_and_town_without_accents(org):
    LeadFactory(company_name="Świetlik", contact_name="Józef Wąs", city="Łódź", owner=org.sara)
    LeadFactory(company_name="Other", contact_name="Anna Nowak", owner=org.sara)
    for query in ("swietlik", "jozef was", "lodz"):
        found = pipeline.lead_search(org.sara, query=query)
        assert [lead.company_name for lead in found] == ["Świetlik"], query


def test_lead_search_finds_a_phone_however_it_is_typed(org):
    LeadFactory(company_name="Dzwoni", phone="+48 601 202 303", owner=org.sara)
    LeadFactory(company_name="Inny", phone="700 800 900", owner=org.sara)
    found = pipeline.lead_search(org.sara, query="601-202-303")
    assert [lead.company_name for lead in found] == ["Dzwoni"]


def test_opportunity_search_finds_its_name_or_its_customers_name(org):
    customer = AccountFactory(name="Spółdzielnia Żuraw", owner=org.sara)
    OpportunityFactory(name="Pompa ciepła", account=customer, owner=org.sara)
    OpportunityFactory(name="Magazyn energii Kraków", owner=org.sara)
    assert [o.name for o in pipeline.opportunity_search(org.sara, query="zuraw")] == [
        "Pompa ciepła"
    ]
    assert [o.name for o in pipeline.opportunity_search(org.sara, query="POMPA CIEPLA")] == [
        "Pompa ciepła"
    ]


def test_opportunities_and_leads_sort_by_name_in_polish_order(org):
    for name in ["Drukarnia", "Dąbrowski", "Julia", "Józef"]:
        OpportunityFactory(name=name, owner=org.sara)
        LeadFactory(company_name=name, owner=org.sara)
    ordering = pipeline.OPPORTUNITY_ORDERINGS["name"]
    opportunities = pipeline.opportunity_search(org.sara).order_by(*ordering)
    assert [o.name for o in opportunities] == ["Dąbrowski", "Drukarnia", "Józef", "Julia"]
    leads = pipeline.lead_search(org.sara).order_by(*pipeline.LEAD_ORDERINGS["company"])
    assert [lead.company_name for lead in leads] == ["Dąbrowski", "Drukarnia", "Józef", "Julia"]


def test_a_renamed_record_is_found_by_its_new_name(org):
    account = AccountFactory(name="Stara Nazwa", owner=org.sara)
    account.name = "Nowa Łąka"
    account.save(update_fields=["name"])
    assert Account.objects.get(pk=account.pk).search_name == "nowa laka"
    assert _names(account_page(org.sara, AccountFilters(search="laka"))) == ["Nowa Łąka"]


def test_contact_columns_follow_first_and_last_name(org):
    contact = ContactFactory(first_name="Łucja", last_name="Żak", phone="+48 500 600 700")
    stored = ContactPerson.objects.get(pk=contact.pk)
    assert (stored.search_name, stored.phone_digits) == ("lucja zak", "500600700")


def test_the_migration_fills_the_columns_of_existing_rows(org):
    account = AccountFactory(name="Gęś Sp. z o.o.", city="Łódź", phone="+48 600 000 001")
    lead = LeadFactory(company_name="Żuraw", contact_name="Ola", city="Łęczyca")
    opportunity = OpportunityFactory(name="Łąka")
    contact = ContactFactory(first_name="Ćwik", last_name="Ąbc")
    # Rows written before the columns existed (or by a path that skipped save()).
    for model in (Account, ContactPerson, Lead, Opportunity):
        model.objects.update(search_name="", sort_name="")
    Account.objects.update(search_city="", phone_digits="")
    migration = importlib.import_module("obieg.crm.migrations.0005_fill_search_columns")
    # fill() reads only the editor's connection; SQLite allows no editor inside a test.
    migration.fill(apps, SimpleNamespace(connection=connection))
    account.refresh_from_db()
    lead.refresh_from_db()
    opportunity.refresh_from_db()
    contact.refresh_from_db()
    assert (account.search_name, account.search_city, account.phone_digits) == (
        "ges sp. z o.o.",
        "lodz",
        "600000001",
    )
    assert lead.search_name == "zuraw ola leczyca"
    assert opportunity.search_name == "laka"
    assert contact.search_name == "cwik abc"
    fresh = Account(name=account.name)
    fresh.fill_search_columns()
    assert account.sort_name == fresh.sort_name
