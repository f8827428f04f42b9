"""Converting a lead creates account, contact and opportunity in one transaction."""

from __future__ import annotations

from decimal import Decimal

import pytest

from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.core.models import AuditEntry
from obieg.crm import services as crm
from obieg.crm.models import Account, ContactPerson, Lead, Opportunity
from tests.factories import AccountFactory, ContactFactory, LeadFactory


def counts():
    return (
        Account.objects.count(),
        ContactPerson.objects.count(),
        Opportunity.objects.count(),
        AuditEntry.objects.count(),
    )


def test_lead_with_a_company_name_becomes_a_company_account(org):
    lead = LeadFactory(
        owner=org.sara,
        company_name="Słoneczna Sp. z o.o.",
        contact_name="Jan Maria Nowak",
        email="jan@sloneczna.pl",
        phone="600100200",
        nip="5260001246",
        postal_code="30-001",
        city="Kraków",
        department=org.construction,
    )

    opportunity = crm.lead_convert(
        actor=org.sara, lead=lead, opportunity_name="PV 10 kWp", value=Decimal("42000.00")
    )

    account = opportunity.account
    assert account.kind == Account.Kind.COMPANY
    assert (account.name, account.nip, account.city, account.owner) == (
        "Słoneczna Sp. z o.o.",
        "5260001246",
        "Kraków",
        org.sara,
    )
    [contact] = account.contacts.all()
    assert (contact.first_name, contact.last_name, contact.email) == (
        "Jan",
        "Maria Nowak",
        "jan@sloneczna.pl",
    )
    assert contact.is_primary
    assert (opportunity.name, opportunity.value, opportunity.owner) == (
        "PV 10 kWp",
        Decimal("42000.00"),
        org.sara,
    )
    assert opportunity.department == org.construction
    lead.refresh_from_db()
    assert lead.status == Lead.Status.CONVERTED
    assert (lead.account, lead.opportunity) == (account, opportunity)


def test_lead_without_a_company_name_becomes_a_person_account_without_nip(org):
    lead = LeadFactory(owner=org.sara, contact_name="Anna Kowalska", nip="5260001246")

    opportunity = crm.lead_convert(actor=org.sara, lead=lead)

    account = opportunity.account
    assert account.kind == Account.Kind.PERSON
    assert (account.name, account.nip) == ("Anna Kowalska", "")
    assert opportunity.name == "Anna Kowalska"


def test_a_one_word_contact_name_still_gives_a_valid_contact(org):
    lead = LeadFactory(owner=org.sara, contact_name="Zbigniew")

    opportunity = crm.lead_convert(actor=org.sara, lead=lead)

    contact = opportunity.account.contacts.get()
    assert (contact.first_name, contact.last_name) == ("Zbigniew", "-")


def test_an_unowned_lead_goes_to_the_converting_user(org):
    lead = LeadFactory(owner=None, department=org.construction, company_name="Firma")

    opportunity = crm.lead_convert(actor=org.head, lead=lead)

    assert opportunity.owner == org.head
    assert opportunity.account.owner == org.head


def test_conversion_writes_an_audit_entry_for_every_record(org):
    lead = LeadFactory(owner=org.sara, company_name="Firma")

    opportunity = crm.lead_convert(actor=org.sara, lead=lead)

    actions = set(AuditEntry.objects.values_list("content_type__model", "action"))
    assert actions == {
        ("account", "create"),
        ("contactperson", "create"),
        ("opportunity", "create"),
        ("lead", "update"),
    }
    lead_entry = AuditEntry.objects.get(content_type__model="lead")
    assert lead_entry.changes["status"] == ["new", "converted"]
    assert lead_entry.changes["opportunity"] == [None, str(opportunity.pk)]
    assert set(AuditEntry.objects.values_list("actor", flat=True)) == {org.sara.pk}


def test_a_lead_is_converted_only_once(org):
    lead = LeadFactory(owner=org.sara, company_name="Firma")
    crm.lead_convert(actor=org.sara, lead=lead)
    before = counts()

    # The caller's copy of the lead still says "new": the service must re-read it.
    with pytest.raises(ApplicationError, match="already been converted"):
        crm.lead_convert(actor=org.sara, lead=lead)

    assert counts() == before


def test_a_disqualified_lead_is_not_converted(org):
    lead = LeadFactory(owner=org.sara, status=Lead.Status.DISQUALIFIED)

    with pytest.raises(ApplicationError, match="disqualified"):
        crm.lead_convert(actor=org.sara, lead=lead)

    assert counts()[:3] == (0, 0, 0)


def test_converting_into_an_existing_account_adds_a_contact_and_an_opportunity(org):
    account = AccountFactory(owner=org.sara, name="Stały klient")
    ContactFactory(account=account, is_primary=True)
    lead = LeadFactory(owner=org.sara, company_name="Stały klient", contact_name="Ewa Lis")

    opportunity = crm.lead_convert(actor=org.sara, lead=lead, account=account)

    assert opportunity.account == account
    assert Account.objects.count() == 1
    new_contact = account.contacts.get(last_name="Lis")
    assert not new_contact.is_primary  # the account already had a primary contact
    lead.refresh_from_db()
    assert lead.account == account


def test_converting_into_someone_elses_account_is_refused(org):
    account = AccountFactory(owner=org.tomasz)
    lead = LeadFactory(owner=org.sara, company_name="Firma")
    before = counts()

    with pytest.raises(PermissionDenied):
        crm.lead_convert(actor=org.sara, lead=lead, account=account)

    assert counts() == before
    lead.refresh_from_db()
    assert lead.status == Lead.Status.NEW


def test_another_salesperson_cannot_convert_the_lead(org):
    lead = LeadFactory(owner=org.sara, company_name="Firma")

    with pytest.raises(PermissionDenied):
        crm.lead_convert(actor=org.tomasz, lead=lead)

    lead.refresh_from_db()
    assert lead.status == Lead.Status.NEW


def test_a_failure_after_the_account_is_created_rolls_back_everything(org):
    """The opportunity is the last record written; a negative value refuses it."""
    lead = LeadFactory(owner=org.sara, company_name="Firma", email="a@b.pl")

    with pytest.raises(ApplicationError) as raised:
        crm.lead_convert(actor=org.sara, lead=lead, value=Decimal("-1"))

    assert "value" in raised.value.field_errors
    assert counts() == (0, 0, 0, 0)
    lead.refresh_from_db()
    assert (lead.status, lead.account, lead.opportunity) == (Lead.Status.NEW, None, None)


def test_a_lead_with_invalid_data_is_refused_with_field_errors(org):
    # Written around the services (an import): the NIP fails its checksum on the account.
    lead = LeadFactory(owner=org.sara, company_name="Firma", nip="5260001247")

    with pytest.raises(ApplicationError) as raised:
        crm.lead_convert(actor=org.sara, lead=lead)

    assert "nip" in raised.value.field_errors
    assert counts() == (0, 0, 0, 0)
    lead.refresh_from_db()
    assert lead.status == Lead.Status.NEW


def test_a_converted_lead_can_no_longer_be_edited(org):
    lead = LeadFactory(owner=org.sara, company_name="Firma")
    crm.lead_convert(actor=org.sara, lead=lead)

    with pytest.raises(ApplicationError, match="converted"):
        crm.lead_update(actor=org.sara, lead=lead, data={"description": "x"})

    with pytest.raises(ApplicationError, match="converted"):
        lead.refresh_from_db()
        crm.lead_update(actor=org.sara, lead=lead, data={"status": Lead.Status.NEW})
