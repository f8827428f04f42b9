"""Duplicate detection on create: same identifiers, e-mail, phone or a similar name."""

import pytest

from obieg.crm.selectors.duplicates import (
    account_duplicates,
    contact_duplicates,
    lead_duplicates,
)
from tests.factories import AccountFactory, ContactFactory, LeadFactory, valid_nip


def _found(duplicates) -> dict:
    return {(d.kind, d.record.pk): d.matched for d in duplicates}


def test_an_account_with_the_same_nip_is_a_duplicate(org):
    existing = AccountFactory(name="Alfa", nip=valid_nip(1), owner=org.sara)
    AccountFactory(name="Beta", nip=valid_nip(2), owner=org.sara)
    found = account_duplicates(org.sara, {"name": "Zupełnie inna", "nip": valid_nip(1)})
    assert _found(found) == {("account", existing.pk): ("nip",)}


@pytest.mark.parametrize(
    ("field", "stored", "typed", "key"),
    [
        ("regon", "123456785", "123456785", "regon"),
        ("email", "Biuro@Alfa.PL", "biuro@alfa.pl", "email"),
        ("phone", "+48 600 100 200", "600-100-200", "phone"),
    ],
)
def test_identifiers_match_however_they_are_typed(org, field, stored, typed, key):
    existing = AccountFactory(name="Alfa", owner=org.sara, **{field: stored})
    found = account_duplicates(org.sara, {"name": "Inna", field: typed})
    assert _found(found) == {("account", existing.pk): (key,)}


def test_a_person_with_the_same_pesel_is_a_duplicate(org):
    existing = AccountFactory(
        kind="person", name="Jan Nowak", nip="", pesel="44051401359", owner=org.sara
    )
    found = account_duplicates(org.sara, {"name": "J. Nowak", "pesel": "44051401359"})
    assert _found(found) == {("account", existing.pk): ("pesel",)}


@pytest.mark.parametrize(
    "typed", ["SOLARIS sp. z o.o.", "Solaris", "solaris spółka z ograniczoną odpowiedzialnością"]
)
def test_a_similar_name_is_a_duplicate(org, typed):
    existing = AccountFactory(name="Solaris Sp. z o.o.", owner=org.sara)
    AccountFactory(name="Solaris Bus", owner=org.sara)
    assert _found(account_duplicates(org.sara, {"name": typed})) == {
        ("account", existing.pk): ("name",)
    }


def test_polish_letters_and_word_order_do_not_hide_a_duplicate_person(org):
    existing = AccountFactory(kind="person", name="Łukasz Żółtek", nip="", owner=org.sara)
    found = account_duplicates(org.sara, {"name": "ZOLTEK Lukasz"})
    assert _found(found) == {("account", existing.pk): ("name",)}


def test_several_matches_are_named_together(org):
    existing = AccountFactory(name="Alfa", nip=valid_nip(3), email="a@alfa.pl", owner=org.sara)
    found = account_duplicates(
        org.sara, {"name": "Alfa", "nip": valid_nip(3), "email": "A@alfa.pl"}
    )
    assert _found(found) == {("account", existing.pk): ("nip", "email", "name")}


def test_records_the_user_may_not_see_are_not_shown(org):
    AccountFactory(name="Cudza", nip=valid_nip(4), owner=org.olga)
    assert account_duplicates(org.sara, {"name": "Cudza", "nip": valid_nip(4)}) == []


def test_nothing_alike_is_no_duplicate(org):
    AccountFactory(name="Alfa", owner=org.sara)
    assert account_duplicates(org.sara, {"name": "Omega", "nip": valid_nip(5)}) == []


def test_a_contact_with_the_same_email_anywhere_or_name_at_the_customer(org):
    customer = AccountFactory(owner=org.sara)
    other = AccountFactory(owner=org.sara)
    by_email = ContactFactory(account=other, email="jan@x.pl")
    by_name = ContactFactory(account=customer, first_name="Józef", last_name="Wąs")
    ContactFactory(account=other, first_name="Józef", last_name="Wąs")  # another customer's
    found = contact_duplicates(
        org.sara, customer, {"first_name": "Jozef", "last_name": "WAS", "email": "JAN@x.pl"}
    )
    assert _found(found) == {
        ("contact", by_email.pk): ("email",),
        ("contact", by_name.pk): ("name",),
    }


def test_a_lead_is_checked_against_leads_and_customers(org):
    lead = LeadFactory(company_name="Fotowolt", email="kontakt@foto.pl", owner=org.sara)
    customer = AccountFactory(name="Fotowolt S.A.", nip=valid_nip(6), owner=org.sara)
    found = lead_duplicates(
        org.sara,
        {"company_name": "FOTOWOLT", "email": "kontakt@foto.pl", "nip": valid_nip(6)},
    )
    assert _found(found) == {
        ("lead", lead.pk): ("email", "name"),
        ("account", customer.pk): ("nip", "name"),
    }
