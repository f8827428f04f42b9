"""The grant project list (search, filters, sorting, pages, who sees what) and the project page."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from obieg.billing.models import ScheduleItem
from obieg.core import clock
from obieg.crm.models import Account
from obieg.engine.models import Case, ProcessDefinition, WorkItem, WorkItemStatus
from obieg.sales.models import Contract
from obieg.solutions.grants import obligations
from obieg.solutions.grants.models import (
    DurabilityReport,
    GrantProject,
    Indicator,
    Measurement,
    Obligation,
    PaymentClaim,
)
from tests.factories import valid_nip
from tests.solutions.grants.helpers import make_project

TODAY = date(2026, 6, 15)
NOON = datetime(2026, 6, 15, 12, tzinfo=ZoneInfo("Europe/Warsaw"))


@pytest.fixture
def frozen_today():
    with clock.frozen(NOON):
        yield TODAY


# --- builders of obligations (used by the dashboard, feed and panel tests too) ---------


def add_claim(project: GrantProject, due: date, *, state: str = "open") -> Obligation:
    number = project.claims.count() + 1
    claim = PaymentClaim.objects.create(
        project=project,
        number=number,
        kind=PaymentClaim.Kind.INTERIM,
        period_from=due - timedelta(days=90),
        period_to=due - timedelta(days=30),
        due_date=due,
    )
    return _planned(project, Obligation.Kind.CLAIM, claim, due, f"WoP {number}", state)


def add_report(project: GrantProject, due: date, *, state: str = "open") -> Obligation:
    number = project.durability_reports.count() + 1
    report = DurabilityReport.objects.create(
        project=project,
        number=number,
        period_from=due - timedelta(days=365),
        period_to=due - timedelta(days=30),
        due_date=due,
    )
    return _planned(project, Obligation.Kind.REPORT, report, due, f"Report {number}", state)


def add_indicator(project: GrantProject, **fields) -> Indicator:
    values = {"kind": "result", "name": "Jobs created", "unit": "FTE", "target": Decimal(4)}
    return Indicator.objects.create(project=project, **{**values, **fields})


def add_measurement(project: GrantProject, due: date, *, state: str = "open") -> Obligation:
    indicator = project.indicators.first() or add_indicator(project)
    measurement = Measurement.objects.create(indicator=indicator, due_date=due)
    title = f"Measure {indicator.name}"
    return _planned(project, Obligation.Kind.MEASUREMENT, measurement, due, title, state)


def add_payment(
    project: GrantProject, due: date, amount: Decimal = Decimal("1230.00"), *, state: str = "open"
) -> Obligation:
    if project.contract_id is None:
        project.contract = Contract.objects.create(
            number=f"UW/{project.number}",
            account=project.account,
            title="Umowa o współpracy",
            status=Contract.Status.SIGNED,
            value_net=Decimal("10000.00"),
            value_gross=Decimal("12300.00"),
        )
        project.save(update_fields=["contract"])
    item = ScheduleItem.objects.create(
        contract=project.contract, due_date=due, amount=amount, kind="instalment"
    )
    return _planned(project, Obligation.Kind.PAYMENT, item, due, f"Instalment {due}", state)


def _planned(project, kind, source, due, title, state) -> Obligation:
    obligation = obligations.plan(project=project, kind=kind, source=source, due=due, title=title)
    if state != "open":
        Obligation.objects.filter(pk=obligation.pk).update(state=state, done_on=due)
        obligation.refresh_from_db()
    return obligation


def other_client(name: str = "Stolarnia Dąb") -> Account:
    return Account.objects.create(name=name, nip=valid_nip(777), city="Tarnów")


def list_page(client, **params):
    return client.get(reverse("grants:project_list"), params)


def numbers(response) -> list[str]:
    return [project.number for project in response.context["page"].rows]


# --- the list ----------------------------------------------------------------------------


def test_each_person_sees_the_projects_they_work_on(client, institution):
    mine = make_project(institution)
    theirs = make_project(institution, coordinator=institution.other_coordinator)

    client.force_login(institution.org.stranger)
    response = list_page(client)
    assert numbers(response) == []
    assert b'id="empty-state"' in response.content

    client.force_login(institution.coordinator)
    response = list_page(client)
    assert numbers(response) == [mine.number]
    assert not response.context["may_start"]  # a coordinator starts no project
    client.force_login(institution.other_coordinator)
    assert numbers(list_page(client)) == [theirs.number]
    client.force_login(institution.advisor)  # the advisor sold both
    response = list_page(client)
    assert set(numbers(response)) == {mine.number, theirs.number}
    assert response.context["may_start"]
    client.force_login(institution.manager)  # the advisor's team manager
    assert set(numbers(list_page(client))) == {mine.number, theirs.number}


def test_search_finds_number_title_and_client(client, institution):
    bakery = make_project(institution)
    joinery = make_project(institution)
    GrantProject.objects.filter(pk=joinery.pk).update(
        account=other_client(), title="Robotyzacja stolarni"
    )
    client.force_login(institution.advisor)

    assert numbers(list_page(client, q=bakery.number)) == [bakery.number]
    assert numbers(list_page(client, q="robotyzacja")) == [joinery.number]
    assert numbers(list_page(client, q="dąb")) == [joinery.number]
    response = list_page(client, q="nothing like it")
    assert numbers(response) == []
    assert b"No grant project matches these filters." in response.content


def test_filters_by_status_and_coordinator(client, institution):
    realisation = make_project(institution)
    durability = make_project(
        institution,
        status=GrantProject.Status.DURABILITY,
        coordinator=institution.other_coordinator,
    )
    client.force_login(institution.advisor)

    assert numbers(list_page(client, status="durability")) == [durability.number]
    other = institution.other_coordinator.pk
    assert numbers(list_page(client, coordinator=other)) == [durability.number]
    assert numbers(list_page(client, coordinator=institution.coordinator.pk)) == [
        realisation.number
    ]
    # A value that is no choice is ignored, not an error page.
    assert len(numbers(list_page(client, status="bogus", coordinator="x"))) == 2


def test_sorting_and_keyset_pages_cover_every_project_once(client, institution):
    projects = [make_project(institution) for _ in range(30)]
    client.force_login(institution.advisor)

    first = list_page(client, sort="number")
    page = first.context["page"]
    assert len(page.rows) == 25 and page.count == 30 and page.has_next
    second = list_page(client, sort="number", cursor=page.next_cursor)
    shown = numbers(first) + numbers(second)
    assert shown == sorted(project.number for project in projects)
    assert not second.context["page"].has_next

    newest = numbers(list_page(client))
    assert newest[0] == projects[-1].number
    # A forged cursor gives the first page.
    assert numbers(list_page(client, cursor="not-a-cursor")) == newest


def test_rows_show_the_next_deadline_and_overdue_count_without_a_query_each(
    client, institution, frozen_today, django_assert_max_num_queries
):
    client.force_login(institution.coordinator)
    project = make_project(institution)
    add_claim(project, TODAY - timedelta(days=3))
    add_report(project, TODAY + timedelta(days=10))
    with django_assert_max_num_queries(20) as few:
        response = list_page(client)
    row = response.context["page"].rows[0]
    assert row.next_due == TODAY - timedelta(days=3) and row.overdue_count == 1
    for _ in range(10):
        more = make_project(institution)
        add_claim(more, TODAY - timedelta(days=1))
        add_report(more, TODAY + timedelta(days=1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(numbers(list_page(client))) == 11


# --- the project page ------------------------------------------------------------------------


def test_the_timeline_holds_every_obligation_by_due_date_with_its_state(
    client, institution, frozen_today
):
    project = make_project(institution)
    report = add_report(project, TODAY + timedelta(days=40))
    overdue_claim = add_claim(project, TODAY - timedelta(days=5))
    paid = add_payment(project, TODAY - timedelta(days=60), state="done")
    reminded = add_measurement(project, TODAY + timedelta(days=3))
    escalated = add_payment(project, TODAY - timedelta(days=20))
    Obligation.objects.filter(pk=reminded.pk).update(reminded_at=NOON)
    Obligation.objects.filter(pk=escalated.pk).update(reminded_at=NOON, escalated_at=NOON)

    client.force_login(institution.coordinator)
    response = client.get(reverse("grants:project", args=[project.pk]))

    assert response.status_code == 200
    timeline = response.context["timeline"]
    assert [entry.obligation.pk for entry in timeline] == [
        paid.pk,
        escalated.pk,
        overdue_claim.pk,
        reminded.pk,
        report.pk,
    ]
    assert [entry.status for entry in timeline] == [
        "done",
        "escalated",
        "overdue",
        "reminded",
        "open",
    ]
    assert [entry.overdue for entry in timeline] == [False, True, True, False, False]
    html = response.content.decode()
    assert f'id="obligation-{escalated.pk}" data-status="escalated" class="table-danger"' in html
    assert "5 days late" in html and "in 40 days" in html
    assert "FENG.01.01-IP.02-0042/26" in html  # the application's number in the header
    assert "350\u00a0000,00\u00a0zł" in html  # the awarded grant


def test_the_project_page_is_the_visible_projects_only(client, institution):
    project = make_project(institution)
    client.force_login(institution.other_coordinator)
    assert client.get(reverse("grants:project", args=[project.pk])).status_code == 404
    client.force_login(institution.org.stranger)
    assert client.get(reverse("grants:project", args=[project.pk])).status_code == 404
    client.force_login(institution.advisor)
    assert client.get(reverse("grants:project", args=[project.pk])).status_code == 200


def test_the_project_page_lists_its_cases_open_tasks(client, institution):
    project = make_project(institution)
    definition = ProcessDefinition.objects.create(
        key="grants_test", version=1, name="Test", source_name="t.bpmn", sources={}, checksum="x"
    )
    case = Case.objects.create(definition=definition, title=project.number)
    GrantProject.objects.filter(pk=project.pk).update(case=case)
    open_task = WorkItem.objects.create(
        case=case, task_id=uuid.uuid4(), element_id="approve", name="Approve the contract"
    )
    WorkItem.objects.create(
        case=case,
        task_id=uuid.uuid4(),
        element_id="draft",
        name="Draft the contract",
        status=WorkItemStatus.COMPLETED,
    )
    client.force_login(institution.advisor)
    response = client.get(reverse("grants:project", args=[project.pk]))
    assert response.context["tasks"] == [open_task]
    html = response.content.decode()
    assert reverse("engine:case_detail", args=[case.pk]) in html
    assert "Draft the contract" not in html
