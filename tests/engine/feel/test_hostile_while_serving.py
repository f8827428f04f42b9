"""A hostile condition is stopped while the server goes on answering everyone else.

The case is started over real HTTP on a live (threaded) server, as through
`obieg serve`; while its gateway condition grinds through the step budget,
other requests are answered. Order is asserted, never a wall time.
"""

from __future__ import annotations

import threading

import pytest
import requests
from rest_framework.authtoken.models import Token

from obieg.engine import deploy, feel_expressions
from obieg.engine.models import Case

HOSTILE = "= some i in 1..100000, j in 1..100000 satisfies i &lt; 0"

MODEL = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:obieg="urn:obieg:bpmn:1"
    id="hostile_definitions" targetNamespace="urn:obieg:tests">
  <bpmn:process id="hostile" name="Hostile" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:exclusiveGateway id="grind" default="plain">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>odd</bpmn:outgoing><bpmn:outgoing>plain</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:userTask id="work" name="Work" obieg:role="salesperson">
      <bpmn:incoming>odd</bpmn:incoming><bpmn:incoming>plain</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="grind"/>
    <bpmn:sequenceFlow id="odd" sourceRef="grind" targetRef="work">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"
        >{HOSTILE}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="plain" sourceRef="grind" targetRef="work"/>
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>
"""


@pytest.mark.django_db(transaction=True)
def test_the_server_answers_others_while_a_hostile_condition_is_stopped(
    live_server, org, tmp_path, monkeypatch
):
    path = tmp_path / "hostile.bpmn"
    path.write_text(MODEL)
    deploy.deploy_files([path])
    token = Token.objects.create(user=org.sara).key

    evaluating = threading.Event()
    original = feel_expressions.evaluate

    def evaluate_and_tell(body, names):
        evaluating.set()
        return original(body, names)

    monkeypatch.setattr(feel_expressions, "evaluate", evaluate_and_tell)

    outcome: dict = {}

    def start_the_case():
        outcome["response"] = requests.post(
            f"{live_server.url}/api/engine/cases/",
            json={"process": "hostile"},
            headers={"Authorization": f"Token {token}"},
            timeout=60,
        )

    starter = threading.Thread(target=start_the_case)
    starter.start()
    assert evaluating.wait(timeout=60), "the condition never ran"
    answered_meanwhile = []
    while starter.is_alive():
        health = requests.get(f"{live_server.url}/healthz", timeout=60)
        if starter.is_alive():
            answered_meanwhile.append(health.status_code)
    starter.join()

    assert answered_meanwhile and set(answered_meanwhile) == {200}
    response = outcome["response"]
    assert 400 <= response.status_code < 500, response.text
    assert "stopped after" in response.text
    # The case waits at the gateway for an administrator, as after any failed step.
    case = Case.objects.get()
    assert case.error_element == "grind" and "stopped after" in case.error_message
