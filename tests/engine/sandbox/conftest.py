"""A draft to try in a test run: a role's form, a mailing action, a gateway on it, a timer."""

from __future__ import annotations

import pytest

from obieg.core import roles
from obieg.core.models import Department
from obieg.engine import registry
from obieg.engine.models import StudioDraft
from obieg.mail import services as mail
from tests.conftest import make_user

TRIAL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:obieg="urn:obieg:bpmn:1"
    id="trial_definitions" targetNamespace="urn:obieg:tests">
  <bpmn:process id="trial" name="Trial approval" isExecutable="true">
    <bpmn:startEvent id="start" name="Requested"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="prepare" name="Prepare the offer" obieg:form="tests.offer"
        obieg:role="accountant"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:serviceTask id="mail_customer" name="Mail the customer" obieg:action="tests.sandbox_mail">
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:exclusiveGateway id="mailed" name="Mailed?" default="f_no">
      <bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f_yes</bpmn:outgoing><bpmn:outgoing>f_no</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:userTask id="approve" name="Approve" obieg:department="board_dept">
      <bpmn:incoming>f_yes</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing></bpmn:userTask>
    <bpmn:userTask id="not_mailed" name="Call the customer" obieg:role="accountant">
      <bpmn:incoming>f_no</bpmn:incoming><bpmn:outgoing>f4b</bpmn:outgoing></bpmn:userTask>
    <bpmn:intermediateCatchEvent id="cooling" name="Cooling off">
      <bpmn:incoming>f4</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing>
      <bpmn:timerEventDefinition id="cooling_timer">
        <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P14D</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:userTask id="close" name="Close" obieg:assignee="= case_owner">
      <bpmn:incoming>f5</bpmn:incoming><bpmn:outgoing>f6</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="end" name="Done">
      <bpmn:incoming>f6</bpmn:incoming><bpmn:incoming>f4b</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="prepare"/>
    <bpmn:sequenceFlow id="f2" sourceRef="prepare" targetRef="mail_customer"/>
    <bpmn:sequenceFlow id="f3" sourceRef="mail_customer" targetRef="mailed"/>
    <bpmn:sequenceFlow id="f_yes" sourceRef="mailed" targetRef="approve">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">= mailed = true
      </bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f_no" sourceRef="mailed" targetRef="not_mailed"/>
    <bpmn:sequenceFlow id="f4" sourceRef="approve" targetRef="cooling"/>
    <bpmn:sequenceFlow id="f4b" sourceRef="not_mailed" targetRef="end"/>
    <bpmn:sequenceFlow id="f5" sourceRef="cooling" targetRef="close"/>
    <bpmn:sequenceFlow id="f6" sourceRef="close" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>
"""

# The same process whose gateway finds no way out: the step after the mail fails.
BROKEN_GATEWAY = (
    TRIAL.replace(' default="f_no"', "")
    .replace("= mailed = true", '= mailed = "never"')
    .replace(
        '<bpmn:sequenceFlow id="f_no" sourceRef="mailed" targetRef="not_mailed"/>',
        '<bpmn:sequenceFlow id="f_no" sourceRef="mailed" targetRef="not_mailed">'
        '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">= mailed = "no"'
        "</bpmn:conditionExpression></bpmn:sequenceFlow>",
    )
)


def mail_customer(ctx: registry.ActionContext) -> dict:
    """What a real action does: queue an e-mail with a PDF attached, through the outbox."""
    mail.queue_mail(
        to="customer@example.com",
        subject=f"Your offer {ctx.data.get('margin')}",
        body="Please find the offer attached.",
        attachments=[("offer.pdf", b"%PDF-1.4 test", "application/pdf")],
    )
    return {"mailed": True}


def broken_action(ctx: registry.ActionContext) -> dict:
    raise LookupError("no customer record to mail")


@pytest.fixture(autouse=True)
def sandbox_actions(engine_registry):
    registry.register_action("tests.sandbox_mail", mail_customer)
    yield
    registry.unregister("tests.sandbox_mail")


@pytest.fixture
def process_admin(db):
    return make_user("paula", roles.PROCESS_ADMIN)


@pytest.fixture(autouse=True)
def board(db):
    """The department the approval goes to, with a member who would get it."""
    department = Department.objects.create(code="board_dept", name="Board")
    member = make_user("bruno", department=department)
    return department, member


@pytest.fixture
def accountant(db):
    return make_user("ada", roles.ACCOUNTANT)


@pytest.fixture
def draft(process_admin):
    return StudioDraft.objects.create(
        solution="", file_name="trial.bpmn", xml=TRIAL, updated_by=process_admin
    )
