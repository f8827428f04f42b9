"""The two PV projects that ended stuck for good in the walk-through now reach a good end.

1. The accountant typed a payment date two days ahead: the refusal is her
   form error, the task stays open; and a case stopped that way before the
   fix is repaired by an administrator correcting the date.
2. The contract was revised to a 100 % advance: no final invoice is due,
   the case closes after the installation.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from obieg.billing.models import Invoice, InvoiceKind
from obieg.core.errors import ApplicationError
from obieg.engine.models import Case, CaseEvent, WorkItem
from obieg.engine.runtime import services as engine
from obieg.engine.runtime.step import StepError
from obieg.engine.spiff.serializer import encode_data
from obieg.solutions.pv_installation import services
from tests.solutions.pv_installation.conftest import WORK_START
from tests.solutions.pv_installation.helpers import (
    accept_offer,
    case_of,
    complete,
    new_project,
    open_items,
    plan,
    reload,
    to_offer,
)
from tests.solutions.pv_installation.test_realisation import ELECTRICAL, PAID, ROOF, signed

IN_TWO_DAYS = {"paid_on": (date.today() + timedelta(days=2)).isoformat()}
# What the engine keeps of it: the form's cleaned (typed) values.
FUTURE = "A payment cannot be dated in the future."
TYPED_IN_TWO_DAYS = {"paid_on": date.today() + timedelta(days=2), "payment_reference": ""}


def stopped_at_the_advance_payment(org, data: dict, error: str):
    """A signed project whose case stopped as the engine stopped it before refusals were
    form errors: the accountant's completion failed, its data kept for a replay."""
    project = signed(org)
    case = case_of(project)
    item = WorkItem.objects.get(case=case, element_id="record_advance_payment", status="open")
    pending = {"kind": "complete", "work_item": item.pk, "data": encode_data(data)}
    engine._failed(case.pk, StepError(error, "advance_paid"), actor=org.accountant, pending=pending)
    return project, case_of(project), item


def test_a_payment_dated_ahead_is_the_accountants_form_error_and_the_case_goes_on(org):
    project = signed(org)
    case = case_of(project)

    with pytest.raises(ApplicationError) as refusal:
        complete(case, "record_advance_payment", org.accountant, IN_TWO_DAYS)

    assert "paid_on" in refusal.value.field_errors
    case = case_of(project)
    assert (case.status, case.error_message) == ("running", "")
    assert "record_advance_payment" in open_items(case)
    assert reload(project).advance_invoice.status != "paid"
    complete(case, "record_advance_payment", org.accountant, PAID)
    assert reload(project).advance_invoice.status == "paid"


def test_the_task_page_shows_the_refusal_on_the_field_with_a_400(client, org):
    project = signed(org)
    item = WorkItem.objects.get(
        case_id=project.case_id, element_id="record_advance_payment", status="open"
    )
    client.force_login(org.accountant)

    response = client.post(
        reverse("engine:task", args=[item.pk]), {**IN_TWO_DAYS, "revision": item.revision}
    )

    assert response.status_code == 400
    assert "cannot be dated in the future" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "open" and case_of(project).status == "running"


def test_a_case_stopped_by_the_old_behaviour_is_repaired_by_correcting_the_date(org):
    project, case, item = stopped_at_the_advance_payment(org, TYPED_IN_TWO_DAYS, FUTURE)
    assert engine.pending_data(case) == TYPED_IN_TWO_DAYS

    with pytest.raises(ApplicationError, match="future"):
        engine.retry_case(case=case, actor=org.admin)  # replaying the same date is refused
    assert case_of(project).status == "error"

    engine.retry_case(case=case, actor=org.admin, data=PAID)

    assert case_of(project).status == "running"
    assert reload(project).advance_invoice.status == "paid"
    item.refresh_from_db()
    assert item.completed_by == org.accountant  # credited to who did the work


def test_an_administrator_repairs_the_case_from_its_page(client, org):
    project, case, _item = stopped_at_the_advance_payment(org, TYPED_IN_TWO_DAYS, FUTURE)
    client.force_login(org.admin)
    url = reverse("engine:case_detail", args=[case.pk])

    page = client.get(url).content.decode()
    assert "A payment cannot be dated in the future." in page
    assert IN_TWO_DAYS["paid_on"] in page  # the failed step's data, editable

    refused = client.post(
        reverse("engine:case_retry", args=[case.pk]), {**IN_TWO_DAYS, "repair": "1"}
    )
    assert refused.status_code == 400
    assert case_of(project).status == "error"

    fixed = client.post(reverse("engine:case_retry", args=[case.pk]), {**PAID, "repair": "1"})
    assert fixed.status_code == 302
    assert case_of(project).status == "running"


def test_an_administrator_moves_a_stopped_case_back_from_its_page(client, org):
    project, case, _item = stopped_at_the_advance_payment(org, PAID, "mail server down")
    client.force_login(org.admin)
    point = next(
        p for p in engine.return_points(case_of(project)) if p["element_id"] == "plan_works"
    )

    response = client.post(
        reverse("engine:case_move_back", args=[case.pk]),
        {"task": point["id"], "reason": "plan again with the new crew"},
    )

    assert response.status_code == 302
    case = case_of(project)
    assert case.status == "running"
    assert "plan_works" in open_items(case)
    assert case.events.filter(kind=CaseEvent.Kind.MOVED_BACK, element_id="plan_works").exists()


def test_a_contract_revised_to_a_full_advance_closes_without_a_final_invoice(
    org, installer, electrician, roof_crew, electrical_crew
):
    project = to_offer(org, new_project(org))
    accept_offer(project)
    case = case_of(project)
    complete(case, "approve_contract", org.manager,
             {"contract_approved": "no", "approval_comment": "Klient płaci z góry"})  # fmt: skip
    complete(case, "revise_contract", org.sara, {"advance_percent": "100"})
    complete(case, "approve_contract", org.manager, {"contract_approved": "yes"})
    project = reload(project)
    services.customer_accept_contract(project=project, contract_id=project.contract_id)
    project = reload(project)
    assert project.advance_invoice.gross == project.contract.value_gross

    complete(case, "record_advance_payment", org.accountant, PAID)
    plan(org, project, roof_crew, electrical_crew, WORK_START)
    complete(case, "roof_work", installer, ROOF)
    complete(case, "electrical_work", electrician, ELECTRICAL)

    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.error_message) == ("completed", "")
    project = reload(project)
    assert project.final_invoice is None
    assert not Invoice.objects.filter(contract=project.contract, kind=InvoiceKind.FINAL).exists()
    assert project.contract.status == "completed"
    assert case.events.filter(kind=CaseEvent.Kind.ENDED).exists()
