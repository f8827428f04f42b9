"""After the signature: advance, planning, execution in two parts, final invoice, closing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from obieg.billing import ksef
from obieg.billing.models import InvoiceKind
from obieg.core.errors import ApplicationError
from obieg.documents.models import Document
from obieg.engine.models import Case, WorkItem
from obieg.scheduling.models import CalendarEvent
from obieg.solutions.pv_installation import services, signature
from tests.solutions.pv_installation.conftest import WORK_START
from tests.solutions.pv_installation.helpers import (
    case_of,
    complete,
    new_project,
    open_items,
    plan,
    reload,
    to_contract_sent,
)

# The works are planned weeks ahead, so reporting them today needs the early tick; the part
# reported last carries the customer's signature (a form ignores what it does not ask).
HANDOVER = {"customer_signature": signature.sample(), "signed_by": "Jan Kowalski"}
ROOF = {
    "panel_serials": "JA001\nJA002",
    "roof_mounting_checked": "on",
    "roof_sealed": "on",
    "roof_confirm_early": "on",
    **HANDOVER,
}
ELECTRICAL = {
    "inverter_serial": "FR-123",
    "dc_tests_done": "on",
    "grounding_checked": "on",
    "commissioned": "on",
    "electrical_confirm_early": "on",
    **HANDOVER,
}
PAID = {"paid_on": date.today().isoformat(), "payment_reference": "PRZELEW 1"}


def signed(org):
    project = to_contract_sent(org, new_project(org))
    services.customer_accept_contract(project=project, contract_id=project.contract_id)
    return reload(project)


def test_the_advance_invoice_is_30_percent_of_the_gross(org):
    project = signed(org)
    invoice = project.advance_invoice
    assert invoice.kind == InvoiceKind.ADVANCE
    assert invoice.gross == (project.contract.value_gross * Decimal("0.30")).quantize(
        Decimal("0.01")
    )
    ksef.validate(ksef.invoice_xml(invoice))


def test_execution_waits_for_the_advance_payment(org, roof_crew, electrical_crew):
    project = signed(org)
    case = case_of(project)
    plan(org, project, roof_crew, electrical_crew, WORK_START)
    assert open_items(case) == ["record_advance_payment"]  # no crew task before the money
    complete(case, "record_advance_payment", org.accountant, PAID)
    assert open_items(case) == ["electrical_work", "roof_work"]
    # Each part goes to a member of the crew that was planned for it.
    roof = WorkItem.objects.get(case=case, element_id="roof_work", status="open")
    electrical = WorkItem.objects.get(case=case, element_id="electrical_work", status="open")
    assert roof.assignee.username == "igor" and electrical.assignee.username == "edward"
    assert reload(project).advance_invoice.status == "paid"


def test_only_accounting_records_the_payment(org):
    project = signed(org)
    with pytest.raises(ApplicationError):
        complete(case_of(project), "record_advance_payment", org.sara, PAID)


def test_planning_puts_both_parts_into_the_crews_calendars(org, roof_crew, electrical_crew):
    project = signed(org)
    plan(org, project, roof_crew, electrical_crew, WORK_START)
    roof, electrical = CalendarEvent.objects.order_by("start")
    assert (roof.crew, electrical.crew) == (roof_crew, electrical_crew)
    assert roof.start.date() == WORK_START and electrical.start.date() == WORK_START + timedelta(
        days=1
    )
    assert roof.subject_id == project.case_id


def test_a_busy_crew_cannot_be_chosen(org, roof_crew, electrical_crew):
    first, second = signed(org), signed(org)
    plan(org, first, roof_crew, electrical_crew, WORK_START)
    with pytest.raises(ApplicationError) as error:
        plan(org, second, roof_crew, electrical_crew, WORK_START)
    assert "roof_crew" in error.value.field_errors


@pytest.mark.parametrize(
    "order", [("roof_work", "electrical_work"), ("electrical_work", "roof_work")]
)
def test_the_whole_realisation_closes_the_case(
    org, installer, electrician, roof_crew, electrical_crew, order
):
    project = signed(org)
    case = case_of(project)
    complete(case, "record_advance_payment", org.accountant, PAID)
    plan(org, project, roof_crew, electrical_crew, WORK_START)
    reports = {"roof_work": (installer, ROOF), "electrical_work": (electrician, ELECTRICAL)}
    complete(case, order[0], *reports[order[0]])
    assert open_items(case) == [order[1]]
    complete(case, order[1], *reports[order[1]])
    project = reload(project)
    final = project.final_invoice
    assert final.kind == InvoiceKind.FINAL
    assert final.gross == project.contract.value_gross - project.advance_invoice.gross
    ksef.validate(ksef.invoice_xml(final))
    kinds = set(Document.objects.filter(account=project.account).values_list("kind", flat=True))
    assert kinds == {"offer", "contract", "protocol", "warranty", "invoice"}
    assert open_items(case) == ["record_final_payment"]
    complete(case, "record_final_payment", org.accountant, PAID)
    assert Case.objects.get(pk=case.pk).status == "completed"
    assert reload(project).contract.status == "completed"


def test_a_failed_invoice_stops_the_case_until_an_administrator_retries(org, profile):
    from obieg.engine.errors import StepFailed
    from obieg.engine.runtime import services as engine

    project = to_contract_sent(org, new_project(org))
    profile.delete()  # no seller: the advance invoice cannot be issued
    with pytest.raises(StepFailed):
        services.customer_accept_contract(project=project, contract_id=project.contract_id)
    case = Case.objects.get(pk=project.case_id)
    assert case.status == "error" and reload(project).contract.status == "signed"
    profile.pk = None
    profile.save()
    engine.retry_case(case=case, actor=org.admin)
    assert reload(project).advance_invoice is not None
    assert "record_advance_payment" in open_items(case)
