"""The 360° page's cases for a reader who is not an administrator (web.account_records).

They see a case about the customer, about one of its records they may see,
or one they take part in. Only the kinds of record some case of the
customer is about are looked at: the scopes of the others, and what the
reader takes part in, are not asked at all.
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from obieg.crm.models import Opportunity
from obieg.engine.models import WorkItem
from tests.crm.merge_fixtures import _uuid
from tests.factories import AccountFactory
from tests.web.test_account_sections_records import add_cases


def _cases_on_page(client, account) -> tuple[set[int], list[str]]:
    """The ids of the cases the page lists, and its statements."""
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("account_detail", args=[account.pk]))
    assert page.status_code == 200
    rows = page.context["sections"]["cases"].page.rows
    return {case.pk for case in rows}, [query["sql"] for query in queries.captured_queries]


def _cases_count(statements: list[str]) -> str:
    """The cases section's part of the page's one statement of counts."""
    (counts,) = [sql for sql in statements if sql.startswith("SELECT (SELECT COUNT(*)")]
    (cases,) = [part for part in counts.split("(SELECT COUNT(*)") if 'FROM "engine_case"' in part]
    return cases


def test_a_reader_sees_cases_of_the_customer_of_their_records_and_those_they_take_part_in(
    client, org
):
    account = AccountFactory(owner=org.sara)
    saras = Opportunity.objects.create(account=account, name="Sara's", owner=org.sara)
    olgas = Opportunity.objects.create(account=account, name="Olga's", owner=org.olga)
    (about_account,) = add_cases(account, org.sara, 1)
    (about_saras,) = add_cases(saras, org.sara, 1)
    (hidden,) = add_cases(olgas, org.olga, 1)
    (taken_part_in,) = add_cases(olgas, org.olga, 1)
    WorkItem.objects.create(
        case=taken_part_in,
        task_id=_uuid(10**6),
        element_id="check",
        name="Check",
        assignee=org.sara,
    )
    client.force_login(org.sara)

    shown, _statements = _cases_on_page(client, account)

    assert shown == {about_account.pk, about_saras.pk, taken_part_in.pk}
    assert hidden.pk not in shown
    more = client.get(reverse("account_section", args=[account.pk, "cases"]))
    assert {case.pk for case in more.context["page"].rows} == shown


def test_kinds_of_record_no_case_is_about_are_not_asked_for(client, org):
    account = AccountFactory(owner=org.sara)
    olgas = Opportunity.objects.create(account=account, name="Olga's", owner=org.olga)
    (about_account,) = add_cases(account, org.sara, 1)
    client.force_login(org.sara)

    shown, statements = _cases_on_page(client, account)

    # Cases about the customer only: Sara sees them all without asking which
    # opportunities she sees, nor which cases she takes part in (work items).
    assert shown == {about_account.pk}
    cases_part = _cases_count(statements)
    assert "engine_workitem" not in cases_part and "crm_opportunity" not in cases_part

    (about_olgas,) = add_cases(olgas, org.olga, 1)
    shown, statements = _cases_on_page(client, account)

    assert shown == {about_account.pk}  # Olga's opportunity and its case are hers
    cases_part = _cases_count(statements)
    assert "crm_opportunity" in cases_part and "engine_workitem" in cases_part
    assert "pv_installation_pvproject" not in cases_part
    assert about_olgas.pk not in shown


def test_the_administrator_sees_every_case_of_the_customer_and_its_records(client, org):
    account = AccountFactory(owner=org.sara)
    olgas = Opportunity.objects.create(account=account, name="Olga's", owner=org.olga)
    cases = add_cases(account, org.sara, 1) + add_cases(olgas, org.olga, 2)
    client.force_login(org.admin)

    shown, _statements = _cases_on_page(client, account)

    assert shown == {case.pk for case in cases}
