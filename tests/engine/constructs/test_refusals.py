"""What Obieg cannot run of these constructs is refused at deploy, by element, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.constructs.conftest import DATA, deploy_models, refusals


def edited(tmp_path: Path, name: str, *replacements: tuple[str, str]) -> Path:
    """A copy of a sample model with some text replaced, as a person would edit it."""
    text = (DATA / name).read_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text)
    return path


COMPENSATION_START = (
    '<bpmn:messageEventDefinition id="MessageEventDefinition_1" messageRef="Message_cancel" />',
    '<bpmn:compensateEventDefinition id="CompensateEventDefinition_9" />',
)


@pytest.mark.parametrize(
    ("name", "replacements", "expected"),
    [
        (
            "c7_order_handling.bpmn",
            [COMPENSATION_START],
            "c7_order_handling.bpmn: Event_cancelled (Cancellation received): a compensation "
            "event sub-process is not supported: attach a compensation boundary event",
        ),
        (
            "c7_order_handling.bpmn",
            [
                (
                    '<bpmn:startEvent id="StartEvent_1" name="Order received">',
                    '<bpmn:startEvent id="StartEvent_0" name="Order by phone">'
                    "<bpmn:outgoing>Flow_0</bpmn:outgoing></bpmn:startEvent>"
                    '<bpmn:sequenceFlow id="Flow_0" sourceRef="StartEvent_0" '
                    'targetRef="packOrder" />'
                    '<bpmn:startEvent id="StartEvent_1" name="Order received">',
                )
            ],
            "c7_order_handling.bpmn: c7_order_handling (Order handling): a process or "
            "sub-process with an event sub-process needs exactly one start event (it has 2)",
        ),
        (
            "c7_offer_reviews.bpmn",
            [
                (
                    'camunda:collection="${reviewers}"',
                    'camunda:collection="${reviewService.reviewersOf(offer)}"',
                )
            ],
            "c7_offer_reviews.bpmn: reviewOffer (Review the offer): the input collection "
            "'${reviewService.reviewersOf(offer)}' is not a FEEL or JUEL expression",
        ),
        (
            "c8_quote_lines.bpmn",
            [
                (
                    "</bpmn:extensionElements>\n      </bpmn:multiInstanceLoopCharacteristics>",
                    "</bpmn:extensionElements><bpmn:loopCardinality>3</bpmn:loopCardinality>"
                    "</bpmn:multiInstanceLoopCharacteristics>",
                )
            ],
            "c8_quote_lines.bpmn: priceLine (Price the line): a multi-instance activity has both "
            "a loop cardinality and an input collection",
        ),
        (
            "c7_trip_booking.bpmn",
            [(' isForCompensation="true" camunda:expression', " camunda:expression")],
            "c7_trip_booking.bpmn: Event_hotelCompensation: a compensation boundary event needs "
            "a compensation handler",
        ),
        (
            "c7_trip_booking.bpmn",
            [
                (
                    '<bpmn:compensateEventDefinition id="CompensateEventDefinition_3" />',
                    '<bpmn:compensateEventDefinition id="CompensateEventDefinition_3" '
                    'activityRef="Gateway_confirmed" />',
                )
            ],
            "c7_trip_booking.bpmn: Event_undo (Undo the bookings): the compensation throw names "
            "activity 'Gateway_confirmed', which has no compensation boundary event",
        ),
        (
            "c8_contract_reminders.bpmn",
            [("0 0 8 * * MON-FRI", "0 0 8 * * MON-FUN")],
            "c8_contract_reminders.bpmn: workdayMornings (Workday mornings at 8): timer: "
            "'0 0 8 * * MON-FUN' is neither a timer cycle",
        ),
    ],
)
def test_the_refusal_names_the_element_and_says_what_to_write(
    tmp_path, db, name, replacements, expected
):
    path = edited(tmp_path, name, *replacements)
    found = refusals(path)
    assert len(found) == 1 and found[0].startswith(expected), found


def test_a_message_throw_event_deploys_with_a_warning_saying_where_its_message_goes(tmp_path, db):
    path = edited(
        tmp_path,
        "c7_payment_confirmation.bpmn",
        (
            "<bpmn:incoming>Flow_4</bpmn:incoming>",
            "<bpmn:incoming>Flow_4</bpmn:incoming>"
            '<bpmn:messageEventDefinition id="MessageEventDefinition_9" '
            'messageRef="Message_payment" />',
        ),
    )
    report = deploy_models(path)
    assert not report.refused
    assert any(
        w.element_id == "EndEvent_1"
        and "reaches only this case's own message catch events" in w.message
        for w in report.findings.warnings
    )
