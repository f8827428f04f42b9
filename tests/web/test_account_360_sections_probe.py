"""The 360° page reads only the sections its account has any records of (#16).

crm.selectors.account_sections asks first, in one statement and whoever reads,
which kinds of record the account has; the kinds it has none of are counted
as 0 without building their access conditions. The sections must be those
the page showed when every kind was read.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from obieg.core import access, compiled_once, one_trip
from obieg.crm.models import Lead
from obieg.crm.selectors import account_sections
from obieg.crm.selectors.account_sections import FIRST_ROWS, KINDS, Kind, Section
from obieg.sales.models import Offer
from obieg.solutions.expert_opinions.models import Inquiry
from tests.factories import AccountFactory, ContactFactory, OpportunityFactory
from tests.web.test_account_sections_records import add_cases, add_invoices, add_payments


def _every_kind_read(user, account) -> dict[str, Section]:
    """account_sections as it was: every kind's records built and counted."""
    records = {kind: account_sections._records(user, account, kind) for kind in KINDS}
    counts = one_trip.capped_counts(records)
    return {
        kind: Section(
            kind=kind,
            count=counts[kind],
            page=account_sections._page(records[kind], kind, cursor=None, size=FIRST_ROWS),
        )
        for kind in KINDS
    }


def _shown(sections: dict[str, Section]) -> dict:
    return {
        kind: (section.count, [row.pk for row in section.page.rows], section.page.next_cursor)
        for kind, section in sections.items()
    }


@pytest.fixture
def customer(org):
    """Contact persons, opportunities of two owners, an offer, invoices with payments and a
    case: no contracts, leads or inquiries."""
    account = AccountFactory(owner=org.sara)
    for number in range(FIRST_ROWS + 2):
        ContactFactory(account=account, last_name=f"Nowak {number}")
    for number in range(3):
        OpportunityFactory(account=account, owner=org.sara, name=f"PV {number}")
    OpportunityFactory(account=account, owner=org.tomasz, name="Tomasz's")
    Offer.objects.create(account=account, number="OF/1", title="Offer")
    add_payments(add_invoices(account, org, 2), 2)
    add_cases(account, org.sara, 1)
    return account


def test_the_sections_are_those_every_kind_read_gave(org, customer):
    empty = AccountFactory(owner=org.sara)
    for user in (org.sara, org.tomasz, org.manager, org.admin, org.accountant, org.board):
        for account in (customer, empty):
            account = type(account).objects.get(pk=account.pk)  # no answers kept from before
            assert _shown(account_sections.account_sections(user, account)) == _shown(
                _every_kind_read(user, account)
            ), user.username
    sections = account_sections.account_sections(org.sara, customer)
    assert sections["contracts"].count == sections["leads"].count == 0
    assert sections["contacts"].count == FIRST_ROWS + 2
    assert sections["invoices"].count == 2


def _counts_statement(user, account) -> str:
    with CaptureQueriesContext(connection) as queries:
        account_sections.account_sections(user, account)
    (counts,) = [query["sql"] for query in queries if "COUNT(*)" in query["sql"]]
    return counts


def test_kinds_the_account_has_none_of_are_not_counted(org, customer):
    counts = _counts_statement(org.sara, customer)
    assert "sales_offer" in counts and "billing_payment" in counts
    assert "sales_contract" not in counts and "crm_lead" not in counts
    Lead.objects.create(account=customer, company_name="Again", owner=org.sara)
    assert "crm_lead" in _counts_statement(org.sara, customer)


def test_a_kind_with_a_rule_of_its_own_is_asked_first_unless_not_picked_by_id(org, customer):
    """The inquiries (the secretariat sees all) are asked first like the others; the cases,
    about whichever of the account's records have them, are always read."""
    counts = _counts_statement(org.sara, customer)
    assert "engine_case" in counts and "expert_opinions_inquiry" not in counts
    Inquiry.objects.create(number="ZAP/1", account=customer, subject="Opinia", owner=org.tomasz)
    assert "expert_opinions_inquiry" in _counts_statement(org.sara, customer)
    assert account_sections.account_sections(org.tomasz, customer)["inquiries"].count == 1
    assert account_sections.account_sections(org.sara, customer)["inquiries"].count == 0


def test_a_kind_whose_records_read_more_of_the_account_than_its_id_is_always_read(
    org, customer, monkeypatch
):
    """Records picked by the account's name cannot be asked with its id left open."""
    kinds = dict(KINDS)
    kinds["namesakes"] = Kind(
        lambda account: Lead.objects.filter(company_name=account.name),
        ["-created_at", "-id"],
        "web/accounts/_lead_rows.html",
        via="account",
    )
    monkeypatch.setattr(account_sections, "KINDS", kinds)
    Lead.objects.create(company_name=customer.name, owner=org.sara)
    assert account_sections._has_any("namesakes") is None
    assert account_sections._has_any("contacts") is not None
    sections = account_sections.account_sections(org.admin, customer)
    assert sections["namesakes"].count == 1


def test_a_sections_first_rows_are_compiled_once_per_kind_of_reader(org, customer):
    """Tomasz reads with the statement compiled for Sara (a salesperson too), and his rows."""
    account_sections.account_sections(org.sara, customer)
    shape = access.reader_shape(org.tomasz, KINDS["opportunities"].records(customer).model)
    statement = (
        "account section opportunities",
        tuple(KINDS["opportunities"].ordering),
        account_sections.FIRST_ROWS,
        (),  # every column
    )
    kept = compiled_once._compiled[(connection.vendor, (statement, shape))]
    assert kept is not None
    tomasz = account_sections.account_sections(org.tomasz, customer)["opportunities"]
    assert [row.name for row in tomasz.page.rows] == ["Tomasz's"]


def test_a_reader_of_no_shape_gets_the_sections_built_for_them(org, customer, monkeypatch):
    """Where no statement is compiled per kind of reader, every kind is built and counted."""
    monkeypatch.setattr(access, "reader_shape", lambda user, *models, for_change=False: None)
    for user in (org.sara, org.manager, org.admin):
        account = type(customer).objects.get(pk=customer.pk)
        assert _shown(account_sections.account_sections(user, account)) == _shown(
            _every_kind_read(user, account)
        ), user.username
