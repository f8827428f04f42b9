"""A silent customer is reminded after 7 days and escalated to the manager after 14."""

from datetime import timedelta

from obieg.engine import timers
from obieg.engine.models import WorkItem
from obieg.mail.models import OutboxMessage
from obieg.solutions.pv_installation import services
from tests.solutions.pv_installation.conftest import at
from tests.solutions.pv_installation.helpers import (
    case_of,
    new_project,
    open_items,
    reload,
    to_contract_sent,
    to_offer,
)

START = at(2026, 3, 2, 9)


def test_an_unanswered_offer_is_reminded_then_escalated(org, frozen):
    with frozen(START):
        project = to_offer(org, new_project(org))
    with frozen(START + timedelta(days=7, minutes=1)):
        timers.fire_due_timers()
    reminders = OutboxMessage.objects.filter(subject__startswith="Przypomnienie")
    assert reminders.count() == 1 and "oferta" in reminders.get().subject
    assert open_items(case_of(project)) == []
    with frozen(START + timedelta(days=14, minutes=1)):
        timers.fire_due_timers()
    item = WorkItem.objects.get(case_id=project.case_id, element_id="escalate_offer")
    assert item.candidate_group == "sales_manager"
    # The customer may still answer; the case goes on.
    with frozen(START + timedelta(days=15)):
        services.customer_answer_offer(
            project=reload(project), offer_id=project.offer_id, accept=True
        )
    assert "approve_contract" in open_items(case_of(project))


def test_an_unanswered_contract_is_reminded(org, frozen):
    with frozen(START):
        project = to_contract_sent(org, new_project(org))
    with frozen(START + timedelta(days=7, minutes=1)):
        timers.fire_due_timers()
    assert OutboxMessage.objects.filter(subject__contains="umowa").exists()
    with frozen(START + timedelta(days=14, minutes=1)):
        timers.fire_due_timers()
    assert open_items(case_of(project)) == ["escalate_contract"]


def test_an_overdue_audit_is_flagged(org, frozen):
    with frozen(START):
        project = new_project(org)
    with frozen(START + timedelta(days=8)):
        timers.mark_overdue_items()
    assert WorkItem.objects.get(case_id=project.case_id, element_id="audit").overdue


def test_an_overdue_design_is_flagged(org, frozen):
    with frozen(START):
        project = new_project(org)
        from tests.solutions.pv_installation.helpers import AUDIT, complete

        complete(case_of(project), "audit", org.sara, AUDIT)
    with frozen(START + timedelta(days=8)):
        timers.mark_overdue_items()
    assert WorkItem.objects.get(case_id=project.case_id, element_id="design").overdue
