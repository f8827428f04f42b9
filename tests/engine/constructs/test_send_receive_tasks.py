"""Send tasks run like service tasks; receive tasks wait for their message (Camunda 7 model)."""

from __future__ import annotations

from obieg.engine.models import CaseStatus
from obieg.engine.runtime import services as engine
from tests.engine.camunda.conftest import Worker
from tests.engine.constructs.conftest import DATA, calls_of, deploy_models
from tests.engine.helpers import reload


def test_a_send_task_is_an_external_task_and_a_receive_task_waits_for_the_payment(
    org, worker_account
):
    report = deploy_models("c7_payment_confirmation.bpmn")
    assert not report.refused
    (warning,) = [w for w in report.findings.warnings if w.element_id == "sendInvoice"]
    assert "external task on topic 'send-invoice'" in warning.message

    case = engine.start_case(
        process="c7_payment_confirmation", actor=org.accountant, keys=["invoice:FZ/1/2026"]
    )
    worker = Worker(worker_account)
    (job,) = worker.fetch("send-invoice")
    assert worker.complete(job, sentAt="2026-12-21").status_code == 200
    assert reload(case).status == CaseStatus.WAITING
    assert engine.waiting_messages(reload(case)) == {"payment_received"}

    engine.send_message(
        name="payment_received", key="invoice:FZ/1/2026", payload={"paid": "1230.00"}
    )
    case = reload(case)
    assert case.status == CaseStatus.COMPLETED
    assert case.data["paid"] == "1230.00" and case.data["sentAt"] == "2026-12-21"
    assert calls_of("confirmPayment")  # ${tests.record}: a registered action


def test_a_send_task_with_nothing_to_run_it_is_refused_by_name(db, tmp_path):
    text = (DATA / "c7_payment_confirmation.bpmn").read_text()
    text = text.replace(' camunda:type="external" camunda:topic="send-invoice"', "")
    path = tmp_path / "no_sender.bpmn"
    path.write_text(text)
    (refusal,) = deploy_models(path).findings.refusals
    assert refusal.line().startswith(
        "no_sender.bpmn: sendInvoice (Send the invoice to the customer): a send task needs "
        "obieg:action naming a registered action, or an external topic"
    )


def test_a_receive_task_that_would_start_the_process_is_refused(db, tmp_path):
    text = (DATA / "c7_payment_confirmation.bpmn").read_text()
    text = text.replace('name="Await the payment"', 'name="Await the payment" instantiate="true"')
    path = tmp_path / "instantiate.bpmn"
    path.write_text(text)
    (refusal,) = deploy_models(path).findings.refusals
    assert "awaitPayment (Await the payment)" in refusal.line()
    assert "draw a message start event instead" in refusal.line()
