"""A Camunda 8 (Zeebe) model as Camunda Modeler 5 saves it, run to the end.

A linked form that is an Obieg form, a candidate group mapped by name, a
due date from a FEEL variable, a job type done by a worker with input and
output mappings and headers, `zeebe:calledElement`, an assignee written
`= shipper`, and a candidate group that matches nothing: its task waits in
the unassigned queue until an administrator hands it out.
"""

from __future__ import annotations

from obieg.engine.models import CaseStatus
from obieg.engine.runtime import services as engine
from tests.engine.camunda.test_external_tasks import TOPIC, order_case
from tests.engine.conftest import at
from tests.engine.helpers import open_item, open_items, reload


def test_the_review_task_uses_the_linked_obieg_form_and_the_mapped_group(org, frozen):
    from tests.engine.camunda.conftest import deploy_models

    report = deploy_models("c8_order.bpmn", "c8_shipping.bpmn")
    lines = "\n".join(w.line() for w in report.findings.warnings)
    assert "candidate group 'customer-care' matches no role" in lines
    assert (
        "packParcel (Pack the parcel): warning: execution listener (on start, audit-log)" in lines
    )
    assert "form 'tests.offer'" not in lines  # a registered Obieg form
    assert {d.key for d in report.definitions} == {"c8_order", "c8_shipping"}
    from django.contrib.auth.models import Group

    from obieg.engine.models import NameMapping

    NameMapping.objects.create(name="Sales", role=Group.objects.get(name="salesperson"))
    with frozen(at(2026, 12, 21, 9)):
        case = engine.start_case(
            process="c8_order", actor=org.sara, data={"reviewDue": "2026-12-23T12:00"}
        )
    item = open_item(case, "reviewOrder")
    assert (item.form_key, item.candidate_group) == ("tests.offer", "salesperson")
    assert item.due_at == at(2026, 12, 23, 12)


def test_the_order_runs_to_the_end(org, worker, client_for):
    case = order_case(org, shipper="dorota")
    assert reload(case).data["margin"] == "0.2"  # the linked Obieg form checked it

    (job,) = worker.fetch(TOPIC)
    assert job["variables"]["amount"] == "120.50" and job["variables"]["customer"] == "Kowalski"
    assert job["headers"] == {"currency": "PLN"}
    worker.complete(job, transactionId="TX-9")
    assert reload(case).data["paymentId"] == "TX-9"

    pack = open_item(case, "packParcel")  # inside the called process c8_shipping
    assert pack.assignee == org.designer  # = shipper
    engine.complete(work_item=pack, actor=org.designer, data={})

    (complaint,) = open_items(case)
    assert complaint.element_id == "handleReturn" and complaint.is_unassigned
    assert complaint.unmatched == "candidate groups: customer-care"
    admin = client_for(org.admin)
    page = admin.get("/work/unassigned/")
    assert page.status_code == 200 and b"customer-care" in page.content
    assert client_for(org.sara).get("/work/unassigned/").status_code == 403
    listed = admin.get("/api/engine/unassigned/").data
    assert [row["id"] for row in listed] == [complaint.pk]

    handed = admin.post(f"/work/unassigned/{complaint.pk}/assign/", {"to": org.olga.pk})
    assert handed.status_code == 302
    complaint.refresh_from_db()
    assert complaint.assignee == org.olga and not complaint.is_unassigned
    assert admin.get("/api/engine/unassigned/").data == []
    engine.complete(work_item=complaint, actor=org.olga, data={})
    assert reload(case).status == CaseStatus.COMPLETED
