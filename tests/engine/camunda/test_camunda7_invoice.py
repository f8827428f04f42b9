"""A Camunda Platform 7 model, as Camunda Modeler 5 saves it, deployed and run to the end.

Candidate group mapped by an administrator, due and follow-up dates, an
assignee expression, external tasks on a topic and a Java class done by a
test worker through the API, input/output mappings, a BPMN error caught by
a boundary event leading to a plain task (the case owner's manual step).
"""

from __future__ import annotations

from django.contrib.auth.models import Group

from obieg.core import roles
from obieg.engine.models import CaseStatus, ExternalTask, NameMapping
from obieg.engine.runtime import services as engine
from tests.engine.camunda.conftest import deploy_models
from tests.engine.conftest import at
from tests.engine.helpers import open_item, open_items, reload

NOTIFY = "org.camunda.bpm.example.invoice.service.NotifySupplierService"
START = {"approveUntil": "2026-12-30", "clerk": "tomasz", "invoice": {"number": "FV/17/2026"}}


def start_invoice(org):
    NameMapping.objects.create(name="accounting", role=Group.objects.get(name=roles.ACCOUNTANT))
    report = deploy_models("c7_invoice.bpmn")
    assert not report.refused, report.findings.items
    return engine.start_case(process="c7_invoice", actor=org.sara, data=dict(START))


def test_the_model_deploys_with_warnings_for_what_obieg_leaves_out(db):
    report = deploy_models("c7_invoice.bpmn")
    assert not report.refused
    lines = "\n".join(w.line() for w in report.findings.warnings)
    assert "c7_invoice.bpmn: approveInvoice (Approve invoice): warning: task listener" in lines
    assert "candidate group 'accounting' matches no role" in lines
    assert "archiveInvoice (Archive invoice): warning: topic 'archive-invoice'" in lines
    assert f"runs as an external task on topic {NOTIFY!r}" in lines
    assert "c7_supplier (Supplier): warning: this process (pool) is not executable" in lines
    (definition,) = report.definitions
    assert definition.key == "c7_invoice"
    assert any("task listener" in line for line in definition.warnings)


def test_a_mapped_candidate_group_gets_the_task_with_its_dates(org, frozen):
    with frozen(at(2026, 12, 21, 9)):
        case = start_invoice(org)
    item = open_item(case, "approveInvoice")
    assert item.candidate_group == roles.ACCOUNTANT and item.assignee is None
    assert item.form_key == ""  # the embedded form is not an Obieg form: data and a comment
    assert item.due_at == at(2026, 12, 30, 23, 59, 59)
    assert item.follow_up_at == at(2026, 12, 22, 9)
    assert item.unmatched == ""


def test_the_invoice_runs_to_the_end_with_a_worker(org, worker, frozen):
    with frozen(at(2026, 12, 21, 9)):
        case = start_invoice(org)
    engine.complete(work_item=open_item(case, "approveInvoice"), actor=org.accountant, data={})

    (task,) = worker.fetch("archive-invoice")
    assert task["activity_id"] == "archiveInvoice" and task["case"] == case.pk
    assert task["variables"]["invoiceNumber"] == "FV/17/2026"  # the input mapping
    assert worker.complete(task, archiveReference="AR-5").status_code == 200
    assert reload(case).data["archiveId"] == "AR-5"  # the output mapping

    transfer = open_item(case, "prepareTransfer")
    assert transfer.assignee == org.tomasz  # ${clerk}, read from the case data
    engine.complete(work_item=transfer, actor=org.tomasz, data={"comment": "sent"})

    (notify,) = worker.fetch(NOTIFY, "archive-invoice")
    assert notify["activity_id"] == "notifySupplier"
    worker.complete(notify)
    case = reload(case)
    assert case.status == CaseStatus.COMPLETED
    assert ExternalTask.objects.filter(case=case, status="completed").count() == 2


def test_a_bpmn_error_takes_the_boundary_path_to_the_owners_manual_step(org, worker):
    case = start_invoice(org)
    engine.complete(work_item=open_item(case, "approveInvoice"), actor=org.accountant, data={})
    (task,) = worker.fetch("archive-invoice")

    thrown = worker.post(task, "bpmn-error", error_code="ARCHIVE_FULL", variables={"shelf": 4})
    assert thrown.status_code == 200, thrown.data
    assert thrown.data["status"] == "cancelled" and thrown.data["error_code"] == "ARCHIVE_FULL"
    (manual,) = open_items(case)
    assert manual.element_id == "archiveByHand"  # a plain bpmn:task: the case owner's step
    assert manual.assignee == org.sara
    engine.complete(work_item=manual, actor=org.sara, data={})
    case = reload(case)
    assert case.status == CaseStatus.COMPLETED and case.data["shelf"] == 4
    assert "bpmn_error" in set(case.events.values_list("kind", flat=True))


def test_an_error_code_nothing_catches_is_an_incident(org, worker):
    case = start_invoice(org)
    engine.complete(work_item=open_item(case, "approveInvoice"), actor=org.accountant, data={})
    (task,) = worker.fetch("archive-invoice")
    thrown = worker.post(task, "bpmn-error", error_code="NO_SUCH_CODE")
    assert thrown.status_code == 409
    row = ExternalTask.objects.get(pk=task["id"])
    assert row.incident and row.is_open and "NO_SUCH_CODE" in row.error_message
    assert reload(case).status == CaseStatus.WAITING
