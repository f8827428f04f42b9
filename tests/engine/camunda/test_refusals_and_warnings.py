"""What Obieg refuses in a Camunda model (it cannot run) and what it only warns about."""

from __future__ import annotations

from obieg.engine.runtime import services as engine
from tests.engine.camunda.conftest import deploy_models, model
from tests.engine.helpers import open_item


def lines(report) -> str:
    return "\n".join(item.line() for item in report.findings.items)


def test_a_called_process_computed_by_an_expression_is_refused(db, tmp_path):
    path = model(tmp_path, "c8_order.bpmn", ('processId="c8_shipping"', 'processId="= target"'))
    report = deploy_models(path, "c8_shipping.bpmn")
    assert report.refused
    assert "c8_order.bpmn: shipOrder (Ship order): the called process '= target' is computed" in (
        lines(report)
    )


def test_an_external_task_without_a_topic_is_refused(db, tmp_path):
    path = model(tmp_path, "c7_invoice.bpmn", ('camunda:topic="archive-invoice"', ""))
    report = deploy_models(path)
    assert "archiveInvoice (Archive invoice): an external service task needs a topic" in lines(
        report
    )


def test_a_service_task_naming_nothing_is_refused_with_what_to_write(db, tmp_path):
    path = model(
        tmp_path,
        "c7_invoice.bpmn",
        (
            'camunda:class="org.camunda.bpm.example.invoice.service.NotifySupplierService"',
            "",
        ),
    )
    message = lines(deploy_models(path))
    assert "notifySupplier (Notify supplier): a service task needs obieg:action" in message
    assert 'camunda:type="external"' in message


def test_a_method_call_assignee_is_a_warning_and_its_task_waits_unassigned(org, tmp_path):
    path = model(
        tmp_path,
        "c7_invoice.bpmn",
        ('camunda:candidateGroups="accounting"', 'camunda:assignee="#{service.findEditor(id)}"'),
    )
    report = deploy_models(path)
    assert not report.refused
    assert (
        "approveInvoice (Approve invoice): warning: assignee '#{service.findEditor(id)}' is a "
        "method call" in lines(report)
    )
    case = engine.start_case(process="c7_invoice", actor=org.sara, data={"approveUntil": "P2D"})
    item = open_item(case, "approveInvoice")
    assert item.is_unassigned and "findEditor" in item.unmatched


def test_a_literal_candidate_user_and_department_names_are_matched(org, tmp_path):
    path = model(
        tmp_path,
        "c7_invoice.bpmn",
        ('camunda:candidateGroups="accounting"', 'camunda:candidateGroups="Construction"'),
    )
    report = deploy_models(path)
    assert "accounting" not in lines(report)
    case = engine.start_case(process="c7_invoice", actor=org.sara, data={"approveUntil": "P2D"})
    assert open_item(case, "approveInvoice").candidate_department == org.construction

    path = model(
        tmp_path,
        "c7_invoice.bpmn",
        ('camunda:candidateGroups="accounting"', 'camunda:candidateUsers="anna"'),
    )
    deploy_models(path)
    case = engine.start_case(process="c7_invoice", actor=org.sara, data={"approveUntil": "P2D"})
    assert open_item(case, "approveInvoice").assignee == org.accountant


def test_an_unreadable_due_date_is_a_warning_and_the_task_has_none(org, tmp_path):
    path = model(
        tmp_path,
        "c7_invoice.bpmn",
        ('camunda:dueDate="${approveUntil}"', 'camunda:dueDate="${dateTime().plusDays(2)}"'),
        ('camunda:candidateGroups="accounting"', 'camunda:candidateGroups="accountant"'),
    )
    report = deploy_models(path)
    assert "warning: due date '${dateTime().plusDays(2)}' cannot be read yet" in lines(report)
    case = engine.start_case(process="c7_invoice", actor=org.sara)
    assert open_item(case, "approveInvoice").due_at is None


def test_an_obieg_model_with_a_task_nobody_gets_is_still_refused(db):
    from tests.engine.conftest import DATA

    text = (DATA / "routing.bpmn").read_text().replace('name="accountant"', 'name="Accounts"')
    assert "nobody would get this task" in str(
        [f.message for f in _report_from_text(text).findings.refusals]
    )


def _report_from_text(text):
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp())
    (folder / "routing.bpmn").write_text(text)
    return deploy_models(folder / "routing.bpmn")
