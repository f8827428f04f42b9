"""Every list page costs the same number of queries for one row or a full page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from obieg.documents.models import Document
from obieg.sales.models import Contract, Offer
from tests.factories import AccountFactory, LeadFactory, OpportunityFactory


def add_rows(list_name: str, org, start: int, count: int) -> None:
    """`count` rows for `list_name`, each with its own account and the owner Sara."""
    for number in range(start, start + count):
        account = AccountFactory(owner=org.sara, name=f"Customer {number}")
        if list_name == "lead_list":
            LeadFactory(account=account, owner=org.sara, company_name=f"Lead {number}")
        elif list_name == "opportunity_list":
            OpportunityFactory(account=account, owner=org.sara)
        elif list_name == "offer_list":
            opportunity = OpportunityFactory(account=account, owner=org.sara)
            Offer.objects.create(
                number=f"OF/{number}", account=account, opportunity=opportunity, title="PV"
            )
        elif list_name == "contract_list":
            Contract.objects.create(
                number=f"UM/{number}", account=account, owner=org.sara, title="PV"
            )
        else:
            Document.objects.create(
                account=account,
                title=f"Doc {number}",
                kind=Document.Kind.PHOTO,
                created_by=org.sara,
            )


@pytest.mark.parametrize(
    "list_name", ["lead_list", "opportunity_list", "offer_list", "contract_list", "document_list"]
)
def test_a_list_page_does_not_query_per_row(client, org, list_name):
    add_rows(list_name, org, 0, 1)
    client.force_login(org.sara)
    # What a process reads once (content types, say) is read by a first request: the
    # count compared is a warm page's, whichever test ran before this one.
    client.get(reverse(list_name))
    with CaptureQueriesContext(connection) as one_row:
        response = client.get(reverse(list_name))
    assert response.status_code == 200
    assert len(response.context["page"].rows) == 1
    add_rows(list_name, org, 1, 9)
    with CaptureQueriesContext(connection) as ten_rows:
        response = client.get(reverse(list_name))
    assert len(response.context["page"].rows) == 10
    # The newest row is on the page with its customer (a lead shows its company instead).
    assert ("Lead 9" if list_name == "lead_list" else "Customer 9") in response.content.decode()
    assert len(ten_rows) == len(one_row)
