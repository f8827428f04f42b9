"""Importing contacts, leads and opportunities through their own forms and services."""

from datetime import date
from decimal import Decimal

from obieg.core.audit import AuditEntry
from obieg.crm.models import ContactPerson, Lead, Opportunity
from obieg.dataio import services
from tests.dataio.files import csv_upload, outcome, preview
from tests.factories import AccountFactory, ContactFactory, LeadFactory, valid_nip

NIP = valid_nip(21)


def test_contacts_find_their_account_by_nip_and_update_a_contact_with_the_same_email(org):
    account = AccountFactory(owner=org.sara, nip=NIP, name="Klient")
    existing = ContactFactory(
        account=account, first_name="Anna", last_name="Nowak", email="anna@klient.pl"
    )
    upload = csv_upload(
        [
            ["NIP klienta", "Imię", "Nazwisko", "E-mail", "Stanowisko", "Główny kontakt"],
            [NIP, "Anna", "Nowak", "ANNA@klient.pl", "Prezes", "tak"],
            [NIP, "Jan", "Kowalski", "jan@klient.pl", "", "nie"],
            ["1234563218", "Obcy", "Ktoś", "", "", ""],
        ]
    )
    batch = preview(org.sara, "contacts", upload)
    assert outcome(batch, 2)["action"] == "update"
    assert outcome(batch, 2)["pk"] == existing.pk
    assert outcome(batch, 3)["action"] == "create"
    assert outcome(batch, 4)["errors"] == [
        ["NIP klienta", "No account you can see matches “1234563218”."]
    ]

    services.import_run(actor=org.sara, batch=batch, skip_invalid=True)
    existing.refresh_from_db()
    assert (existing.position, existing.is_primary) == ("Prezes", True)
    assert ContactPerson.objects.get(last_name="Kowalski").account == account


def test_a_contact_needs_an_account_the_importer_may_add_to(org):
    foreign = AccountFactory(owner=org.olga, name="Cudzy")
    batch = preview(
        org.sara,
        "contacts",
        csv_upload([["Account ID", "First name", "Last name"], [foreign.pk, "A", "B"]]),
    )
    assert "No account you can see" in outcome(batch, 2)["errors"][0][1]


def test_imported_leads_go_through_lead_create_with_the_importer_as_owner(org):
    upload = csv_upload(
        [
            ["Osoba kontaktowa", "Firma", "Telefon", "E-mail", "Źródło", "Status"],
            ["Jan Nowak", "Słoneczny Dom", "+48 600 100 200", "", "targi", "contacted"],
            ["Bez kontaktu", "", "", "", "", ""],
        ]
    )
    batch = preview(org.sara, "leads", upload)
    assert outcome(batch, 2)["action"] == "create", batch.outcomes
    assert outcome(batch, 3)["errors"] == [["", "Give an e-mail address or a phone number."]]
    services.import_run(actor=org.sara, batch=batch, skip_invalid=True)
    lead = Lead.objects.get()
    assert (lead.owner, lead.source, lead.status) == (
        org.sara,
        Lead.Source.EVENT,
        Lead.Status.CONTACTED,
    )
    assert AuditEntry.objects.filter(object_id=str(lead.pk), action="create").exists()


def test_a_lead_file_without_a_source_makes_other_leads_and_never_converted_ones(org):
    upload = csv_upload(
        [["Contact name", "E-mail", "Status"], ["A", "a@x.pl", ""], ["B", "b@x.pl", "converted"]]
    )
    batch = preview(org.sara, "leads", upload)
    assert outcome(batch, 2)["action"] == "create"
    assert outcome(batch, 3)["errors"][0][0] == "Status"
    services.import_run(actor=org.sara, batch=batch, skip_invalid=True)
    assert Lead.objects.get().source == Lead.Source.OTHER


def test_a_converted_lead_is_not_changed_by_an_import(org):
    lead = LeadFactory(owner=org.sara, status=Lead.Status.CONVERTED)
    batch = preview(org.sara, "leads", csv_upload([["ID", "Miasto"], [lead.pk, "Kraków"]]))
    assert outcome(batch, 2)["errors"] == [["ID", "A converted lead can no longer be changed."]]


def test_opportunities_read_polish_amounts_and_dates_and_take_the_stage_probability(org):
    account = AccountFactory(owner=org.sara, name="Klient PV")
    upload = csv_upload(
        [
            ["Klient", "Nazwa", "Etap", "Wartość", "Data zamknięcia"],
            ["Klient PV", "Instalacja 50 kW", "propozycja", "150 000,50", "31.12.2026"],
            ["Klient PV", "Zła data", "", "10", "31.02.2026"],
            ["Klient PV", "Zła kwota", "", "dużo", ""],
        ]
    )
    batch = preview(org.sara, "opportunities", upload)
    assert outcome(batch, 2)["action"] == "create", batch.outcomes
    assert outcome(batch, 3)["errors"][0][0] == "Data zamknięcia"
    assert outcome(batch, 4)["errors"][0][0] == "Wartość"
    services.import_run(actor=org.sara, batch=batch, skip_invalid=True)
    opportunity = Opportunity.objects.get()
    assert opportunity.account == account
    assert opportunity.value == Decimal("150000.50")
    assert opportunity.expected_close == date(2026, 12, 31)
    assert (opportunity.stage, opportunity.probability) == (Opportunity.Stage.PROPOSAL, 50)
    assert opportunity.owner == org.sara


def test_an_account_name_shared_by_two_accounts_asks_for_the_id(org):
    AccountFactory(owner=org.sara, name="Dwojaczek")
    AccountFactory(owner=org.sara, name="Dwojaczek")
    batch = preview(
        org.sara, "opportunities", csv_upload([["Account", "Name"], ["Dwojaczek", "X"]])
    )
    assert "give the account ID" in outcome(batch, 2)["errors"][0][1]
