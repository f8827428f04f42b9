"""The grant project's case walked through the engine, from the opportunity to its closing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from obieg.billing.models import ScheduleItem
from obieg.core.errors import ApplicationError
from obieg.engine import timers
from obieg.engine.models import CaseStatus
from obieg.mail.models import OutboxMessage
from obieg.sales.models import Contract
from obieg.solutions.grants.models import GrantApplication, GrantProject, Obligation, PaymentClaim
from tests.solutions.grants.test_process_steps import (
    at,
    case_of,
    do,
    frozen,
    open_elements,
    plan_fixed,
    prepare,
    reload,
    sign_by_link,
    start,
    to_evaluation,
)

START = at(2026, 3, 2, 9)
Status = GrantProject.Status


def test_a_project_from_the_contract_to_the_end_of_durability(institution, seller):
    inst = institution
    with frozen(START):
        project = start(inst)
        assert project.number == "IOB/2026/0001"
        assert open_elements(project) == ["prepare_contract"]
        assert reload(project).contract.status == Contract.Status.DRAFT
        plan_fixed(inst, project)
        prepare(project, inst)
        project = reload(project)
        assert project.status == Status.CONTRACT_APPROVAL
        # 10,000 fixed + 3 % of 400,000 (12,000) = 22,000 net, 27,060 gross.
        assert project.contract.value_net == Decimal("22000.00")
        assert project.contract.value_gross == Decimal("27060.00")
        assert open_elements(project) == ["approve_contract"]
        do(project, "approve_contract", inst.manager, contract_decision="approve")
        project = reload(project)
        assert project.status == Status.AWAITING_SIGNATURE
        assert project.contract.status == Contract.Status.SENT
        assert project.contract_document_id and project.contract_docx_id
        mail = OutboxMessage.objects.get(to=inst.client.email)
        assert "/grants/contract/" in mail.body and project.contract.number in mail.subject
        assert open_elements(project) == ["upload_scan"]
    with frozen(START + timedelta(days=3)):
        sign_by_link(project)
        project = reload(project)
        assert project.contract.status == Contract.Status.SIGNED
        assert project.contract.signed_on == date(2026, 3, 5)
        assert project.status == Status.APPLICATION
        assert open_elements(project) == ["submit_application"]
        do(
            project,
            "submit_application",
            inst.coordinator,
            application_number="FENG/42",
            submitted_on="2026-03-05",
        )
        assert reload(project).application.status == GrantApplication.Status.SUBMITTED
        do(
            project,
            "record_evaluation",
            inst.coordinator,
            evaluation="under_evaluation",
            decided_on="2026-03-05",
        )
        assert reload(project).application.status == GrantApplication.Status.UNDER_EVALUATION
        assert open_elements(project) == ["record_evaluation"]
    with frozen(at(2026, 6, 15, 10)):
        do(
            project,
            "record_evaluation",
            inst.coordinator,
            evaluation="approved",
            awarded_amount="350000.00",
            decided_on="2026-06-15",
        )
        project = reload(project)
        assert project.application.status == GrantApplication.Status.APPROVED
        assert project.application.awarded_amount == Decimal("350000.00")
        fee = ScheduleItem.objects.get(contract=project.contract, due_date=date(2026, 6, 15))
        # 3 % of 350,000 = 10,500 net; 12,915 gross.
        assert fee.amount == Decimal("12915.00")
        assert Obligation.objects.filter(schedule_item=fee, kind="payment").exists()
        do(
            project,
            "record_agreement",
            inst.coordinator,
            agreement_signed_on="2026-06-15",
            grant_received_on="2026-06-15",
            realisation_starts_on="2026-07-01",
            realisation_ends_on="2027-06-30",
            advance_amount="0",
            interim_months="6",
            days_to_file="30",
        )
        project = reload(project)
        assert project.status == Status.REALISATION
        assert project.application.status == GrantApplication.Status.AGREEMENT_SIGNED
        assert PaymentClaim.objects.filter(project=project).count() == 2
    with frozen(at(2027, 9, 1, 10)):
        do(project, "record_final_payment", inst.coordinator, final_payment_on="2027-09-01")
        project = reload(project)
        assert project.status == Status.DURABILITY
        assert project.durability_ends_on is not None
        assert open_elements(project) == []
        assert case_of(project).status == CaseStatus.WAITING
    ends = project.durability_ends_on
    with frozen(at(ends.year, ends.month, ends.day, 12)):
        timers.fire_due_timers()
        assert reload(project).status == Status.DURABILITY  # the day is not over yet
    with frozen(at(ends.year, ends.month, ends.day, 12) + timedelta(days=1)):
        timers.fire_due_timers()
        project = reload(project)
        assert project.status == Status.CLOSED
        assert project.application.status == GrantApplication.Status.SETTLED
        assert case_of(project).status == CaseStatus.COMPLETED


def test_the_manager_returns_the_contract_with_a_note(institution, seller):
    inst = institution
    with frozen(START):
        project = start(inst)
        plan_fixed(inst, project)
        prepare(project, inst)
        do(
            project,
            "approve_contract",
            inst.manager,
            contract_decision="return",
            decision_note="Rata za wcześnie",
        )
        project = reload(project)
        assert project.status == Status.CONTRACT
        assert project.contract.status == Contract.Status.DRAFT
        assert open_elements(project) == ["prepare_contract"]
        assert case_of(project).data["returned_note"] == "Rata za wcześnie"
        assert not OutboxMessage.objects.filter(to=inst.client.email).exists()
        prepare(project, inst)
        do(project, "approve_contract", inst.manager, contract_decision="approve")
        assert reload(project).status == Status.AWAITING_SIGNATURE


def test_a_rejected_grant_ends_the_project_and_the_fixed_fees_stay(institution, seller):
    inst = institution
    with frozen(START):
        project = to_evaluation(inst)
        do(
            project,
            "record_evaluation",
            inst.coordinator,
            evaluation="rejected",
            decided_on="2026-03-02",
        )
        project = reload(project)
        assert project.status == Status.REJECTED
        assert project.application.status == GrantApplication.Status.REJECTED
        assert case_of(project).status == CaseStatus.COMPLETED
        items = ScheduleItem.objects.filter(contract=project.contract)
        assert [item.amount for item in items] == [Decimal("12300.00")]
        assert Obligation.objects.filter(project=project, state="open").count() == 1


def test_an_awarded_grant_above_the_requested_is_refused(institution, seller):
    inst = institution
    with frozen(START):
        project = to_evaluation(inst)
        try:
            do(
                project,
                "record_evaluation",
                inst.coordinator,
                evaluation="approved",
                awarded_amount="400000.01",
                decided_on="2026-03-02",
            )
        except ApplicationError as error:
            assert "awarded_amount" in error.field_errors
        else:
            raise AssertionError("an award above the request was accepted")
        assert open_elements(project) == ["record_evaluation"]
        assert reload(project).application.status == GrantApplication.Status.SUBMITTED
        assert ScheduleItem.objects.filter(contract=project.contract).count() == 1


def test_the_process_draws_every_element_and_shows_where_the_case_is(client, institution, seller):
    import xml.etree.ElementTree as ET

    from django.urls import reverse

    from obieg.engine import selectors

    inst = institution
    with frozen(START):
        project = start(inst)
    diagram = selectors.case_diagram(case_of(project))
    root = ET.fromstring(diagram.bpmn.encode())
    ns = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
          "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI"}  # fmt: skip
    process = root.find("bpmn:process", ns)
    elements = {node.get("id") for node in process if node.get("id")} - {"grant_project_lanes"}
    drawn = {shape.get("bpmnElement") for shape in root.iter(f"{{{ns['bpmndi']}}}BPMNShape")}
    drawn |= {edge.get("bpmnElement") for edge in root.iter(f"{{{ns['bpmndi']}}}BPMNEdge")}
    assert elements - drawn == set()
    states = diagram.element_states
    assert states["prepare_contract"] == "active" and states["start"] == "completed"
    client.force_login(inst.advisor)
    page = client.get(reverse("engine:case_detail", args=[case_of(project).pk]))
    assert page.status_code == 200


def test_a_contract_without_a_schedule_goes_back_to_the_advisors_form(institution, seller):
    inst = institution
    with frozen(START):
        project = start(inst)
        with pytest.raises(ApplicationError) as refused:
            prepare(project, inst)
    assert "fixed_remuneration" in refused.value.field_errors
    project = reload(project)
    assert open_elements(project) == ["prepare_contract"]
    assert project.status == Status.CONTRACT
    assert project.contract.value_net == Decimal("0.00")
    assert case_of(project).status == CaseStatus.RUNNING


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"requested_amount": Decimal("-1")}, "requested_amount"),
        ({"co_financing_rate": Decimal("120")}, "co_financing_rate"),
        ({"success_fee_percent": "dużo"}, "success_fee_percent"),
        ({"durability_years": 4}, "durability_years"),
        ({"title": "  "}, "title"),
    ],
)
def test_bad_start_data_is_refused_beside_its_field(institution, seller, change, field):
    inst = institution
    with frozen(START), pytest.raises(ApplicationError) as refused:
        start(inst, **change)
    assert list(refused.value.field_errors) == [field]
    assert not GrantProject.objects.exists() and not Contract.objects.exists()


def test_a_project_coordinator_must_have_the_coordinator_role(institution, seller):
    inst = institution
    with frozen(START), pytest.raises(ApplicationError) as refused:
        start(inst, coordinator=inst.accountant)
    assert "coordinator" in refused.value.field_errors
    assert not GrantProject.objects.exists()


def test_the_contract_is_titled_in_the_clients_language_whatever_the_advisors(institution):
    # The advisor works in English (the tests' language); the client reads Polish.
    project = start(institution)
    assert reload(project).contract.title == "Umowa o współpracy: Nowa linia wypieku"


def test_the_coordinator_reads_the_client_the_project_grew_from(client, institution):
    project = start(institution)
    client.force_login(institution.coordinator)
    response = client.get(reverse("account_detail", args=[project.account_id]))
    assert response.status_code == 200
    # The other coordinator (no department) does not.
    client.force_login(institution.other_coordinator)
    assert client.get(reverse("account_detail", args=[project.account_id])).status_code == 404
