"""Message catch events, delivered by message name and correlation key."""

import pytest

from obieg.crm.models import Account
from obieg.engine.models import CaseEvent
from obieg.engine.runtime import services as engine
from tests.engine.conftest import deploy_samples
from tests.engine.helpers import open_elements, reload


def test_a_message_reaches_only_the_case_with_its_key(org):
    deploy_samples("message.bpmn")
    first = engine.start_case(process="offer_acceptance", actor=org.sara, data={"offer_number": 17})
    second = engine.start_case(
        process="offer_acceptance", actor=org.sara, data={"offer_number": 18}
    )
    assert reload(first).status == "waiting"

    delivered = engine.send_message(
        name="offer_accepted", key="offer:17", payload={"signed_by": "Jan Kowalski"}
    )

    assert [case.pk for case in delivered] == [first.pk]
    assert open_elements(first) == ["prepare_contract"]
    assert open_elements(second) == []
    assert reload(first).data["signed_by"] == "Jan Kowalski"
    assert first.events.filter(kind=CaseEvent.Kind.MESSAGE, element_id="accepted").exists()


def test_a_message_nobody_waits_for_is_refused(org):
    deploy_samples("message.bpmn")
    case = engine.start_case(process="offer_acceptance", actor=org.sara, data={"offer_number": 17})
    with pytest.raises(
        engine.ApplicationError, match="No case is waiting for the message 'offer_rejected'"
    ):
        engine.send_message(name="offer_rejected", key="offer:17")
    engine.send_message(name="offer_accepted", key="offer:17")
    with pytest.raises(engine.ApplicationError, match="No case is waiting"):
        engine.send_message(name="offer_accepted", key="offer:17")  # already delivered
    assert open_elements(case) == ["prepare_contract"]


def test_a_case_answers_to_the_key_of_its_subject(org):
    deploy_samples("message.bpmn")
    account = Account.objects.create(name="Kowalski Sp. z o.o.", owner=org.sara)
    case = engine.start_case(process="offer_acceptance", actor=org.sara, subject=account)
    assert case.subject == account
    engine.send_message(name="offer_accepted", key=engine.subject_key(account))
    assert open_elements(case) == ["prepare_contract"]
