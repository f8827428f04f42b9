"""Messages through the API reach the cases waiting under their key; the schema lists it all."""

from django.core.management import call_command

from tests.engine.conftest import deploy_samples
from tests.engine.helpers import open_elements

MESSAGES = "/api/engine/messages/"


def start(api, number: int) -> int:
    body = {"process": "offer_acceptance", "data": {"offer_number": number}}
    return api.post("/api/engine/cases/", body, format="json").data["id"]


def test_a_message_moves_the_waiting_case(client_for, org):
    deploy_samples("message.bpmn")
    api = client_for(org.sara)
    case_id = start(api, 17)

    response = api.post(
        MESSAGES,
        {"name": "offer_accepted", "key": "offer:17", "payload": {"signed_by": "Jan"}},
        format="json",
    )

    assert response.status_code == 200 and response.data == {"cases": [case_id]}
    from obieg.engine.models import Case

    case = Case.objects.get(pk=case_id)
    assert open_elements(case) == ["prepare_contract"] and case.data["signed_by"] == "Jan"


def test_nobody_waiting_and_other_people_s_cases_look_the_same(client_for, org):
    deploy_samples("message.bpmn")
    start(client_for(org.olga), 18)
    body = {"name": "offer_accepted", "key": "offer:18"}
    refused = client_for(org.designer).post(MESSAGES, body, format="json")
    nobody = client_for(org.designer).post(
        MESSAGES, {"name": "offer_accepted", "key": "offer:99"}, format="json"
    )
    assert refused.status_code == nobody.status_code == 400
    assert client_for(org.admin).post(MESSAGES, body, format="json").status_code == 200


def test_the_schema_describes_the_engine_endpoints(client, db, tmp_path):
    schema = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema))
    text = schema.read_text()
    for path in [
        "/api/engine/cases/:",
        "/api/engine/cases/{id}/:",
        "/api/engine/work-items/:",
        "/api/engine/work-items/{id}/claim/:",
        "/api/engine/work-items/{id}/complete/:",
        "/api/engine/messages/:",
    ]:
        assert path in text, path
