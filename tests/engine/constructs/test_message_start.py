"""A message whose name a start event waits for starts a case (Camunda 8 model)."""

from __future__ import annotations

import pytest

from obieg.engine.models import CaseEvent, CaseStatus, CorrelationKey
from obieg.engine.runtime import services as engine
from tests.engine.constructs.conftest import calls_of, deployed
from tests.engine.helpers import open_item, reload

INQUIRY = {"inquiryNumber": 4711, "email": "jan@kowalski.pl"}


def test_a_message_starts_a_case_which_then_waits_for_its_answer_by_key(org):
    deployed("c8_web_inquiry.bpmn")
    (case,) = engine.send_message(
        name="inquiry_received", key="inquiry:4711", payload=INQUIRY, actor=org.sara
    )
    case = reload(case)
    assert case.definition.key == "c8_web_inquiry" and case.data["email"] == "jan@kowalski.pl"
    started = case.events.get(kind=CaseEvent.Kind.STARTED)
    assert started.data["message"] == "inquiry_received"
    assert set(case.keys.values_list("key", flat=True)) >= {"inquiry:4711"}

    qualify = open_item(case, "qualifyInquiry")
    assert qualify.candidate_group == "salesperson"
    engine.complete(work_item=qualify, actor=org.sara, data={})
    assert calls_of("sendOffer")  # the send task ran its registered action
    # The answer's message names its correlation key in the model: = inquiryNumber.
    assert CorrelationKey.objects.filter(case=case, key="4711").exists()
    assert reload(case).status == CaseStatus.WAITING

    engine.send_message(name="offer_answered", key="4711", payload={"answer": "accepted"})
    case = reload(case)
    assert case.status == CaseStatus.COMPLETED and case.data["answer"] == "accepted"
    assert case.events.filter(kind=CaseEvent.Kind.MESSAGE, element_id="awaitAnswer").exists()


def test_the_same_message_twice_does_not_start_a_second_case(org):
    deployed("c8_web_inquiry.bpmn")
    engine.send_message(name="inquiry_received", key="inquiry:4711", payload=INQUIRY)
    with pytest.raises(engine.ApplicationError, match="No case is waiting"):
        engine.send_message(name="inquiry_received", key="inquiry:4711", payload=INQUIRY)
    (other,) = engine.send_message(name="inquiry_received", key="inquiry:4712", payload={})
    assert other.definition.key == "c8_web_inquiry"


def test_a_message_through_the_api_starts_a_case_only_for_someone_who_may_start_one(
    org, client_for
):
    deployed("c8_web_inquiry.bpmn")
    body = {"name": "inquiry_received", "key": "inquiry:9", "payload": {"inquiryNumber": 9}}
    refused = client_for(org.stranger).post("/api/engine/messages/", body, format="json")
    assert refused.status_code == 400 and "No case is waiting" in str(refused.data)

    answer = client_for(org.sara).post("/api/engine/messages/", body, format="json")
    assert answer.status_code == 200
    (case_id,) = answer.data["cases"]
    assert open_item(reload_case(case_id), "qualifyInquiry").candidate_group == "salesperson"


def reload_case(case_id):
    from obieg.engine.models import Case

    return Case.objects.get(pk=case_id)
