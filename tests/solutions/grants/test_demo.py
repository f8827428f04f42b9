"""The institution's demo: a grant project at every state, told through the process, made once."""

import pytest

from obieg.billing.models import Invoice
from obieg.demo.organisation import ensure_organisation
from obieg.engine.models import Case, CaseStatus
from obieg.mail.models import OutboxMessage
from obieg.solutions.grants.demo import create_demo
from obieg.solutions.grants.models import (
    DurabilityReport,
    GrantApplication,
    GrantProject,
    Indicator,
    Obligation,
    PaymentClaim,
)

Status = GrantProject.Status
# About 40 s (it tells eight projects' years with their PDFs): once per CI run is enough.
pytestmark = pytest.mark.once  # slow, and not the database's: the demo runs on SQLite


def test_the_demo_shows_every_state_of_a_grant_project(db, media_root):
    org = ensure_organisation()
    create_demo(org)

    projects = list(GrantProject.objects.order_by("pk"))
    assert [project.status for project in projects] == [
        Status.CONTRACT,
        Status.CONTRACT_APPROVAL,
        Status.AWAITING_SIGNATURE,
        Status.APPLICATION,
        Status.REJECTED,
        Status.REALISATION,
        Status.DURABILITY,
        Status.CLOSED,
    ]
    applications = [p.application.status for p in projects]
    assert applications[3] == GrantApplication.Status.UNDER_EVALUATION
    assert applications[7] == GrantApplication.Status.SETTLED
    closed = projects[-1]
    assert Case.objects.get(pk=closed.case_id).status == CaseStatus.COMPLETED
    # Realisation: the success fee was invoiced; the late payer's invoices are chased.
    realising = projects[5]
    assert Invoice.objects.filter(contract=realising.contract).exists()
    chased = Obligation.objects.filter(project=realising, kind="payment", reminded_at__isnull=False)
    assert chased.exists()
    assert PaymentClaim.objects.filter(project=realising, status="submitted").exists()
    # Durability: an indicator below target, a report submitted and a late one escalated.
    durable = projects[6]
    assert Indicator.objects.filter(project=durable, below_target=True).count() == 1
    reports = DurabilityReport.objects.filter(project=durable)
    assert reports.filter(status="submitted").exists()
    assert Obligation.objects.filter(
        project=durable, kind="report", state="open", escalated_at__isnull=False
    ).exists()
    assert OutboxMessage.objects.filter(subject__startswith="ESCALATION").exists() or (
        OutboxMessage.objects.filter(subject__contains="ESKALACJA").exists()
    )
    # The contract awaiting signature has its link in the outbox.
    assert OutboxMessage.objects.filter(body__contains="/grants/contract/").exists()

    create_demo(org)  # idempotent
    assert GrantProject.objects.count() == 8
