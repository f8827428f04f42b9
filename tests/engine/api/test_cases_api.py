"""Starting and reading cases through the API: data, tasks, history and the diagram XML."""

from obieg.engine.models import Case
from tests.engine.conftest import deploy_samples
from tests.factories import AccountFactory, OpportunityFactory

CASES = "/api/engine/cases/"


def test_starting_a_case_for_a_subject_returns_it_with_its_tasks(client_for, org):
    deploy_samples("approval.bpmn")
    opportunity = OpportunityFactory(owner=org.sara, name="Dach Nowaków")
    api = client_for(org.sara)

    response = api.post(
        CASES,
        {
            "process": "offer_approval",
            "data": {"power_kwp": 9.6},
            "subject_type": "crm.opportunity",
            "subject_id": opportunity.pk,
            "keys": ["offer:17"],
        },
        format="json",
    )

    assert response.status_code == 201, response.data
    body = response.data
    assert body["status"] == "running" and body["process"] == "offer_approval"
    assert body["subject"] == {
        "type": "crm.opportunity",
        "id": opportunity.pk,
        "label": "Dach Nowaków",
    }
    assert body["data"] == {"power_kwp": 9.6}
    assert [item["element_id"] for item in body["work_items"]] == ["prepare_offer"]
    assert body["diagram"]["element_states"] == {"start": "completed", "prepare_offer": "active"}
    assert Case.objects.get().keys.filter(key="offer:17").exists()


def test_a_subject_the_user_cannot_see_is_a_field_error(client_for, org):
    deploy_samples("approval.bpmn")
    hidden = AccountFactory(owner=org.olga)
    response = client_for(org.sara).post(
        CASES,
        {"process": "offer_approval", "subject_type": "crm.account", "subject_id": hidden.pk},
        format="json",
    )
    assert response.status_code == 400 and "subject_id" in response.data
    assert not Case.objects.exists()


def test_an_unknown_process_is_refused(client_for, org):
    response = client_for(org.sara).post(CASES, {"process": "nope"}, format="json")
    assert response.status_code == 400 and "nope" in response.data["detail"]


def test_read_only_roles_may_not_start_cases(client_for, org):
    deploy_samples("approval.bpmn")
    response = client_for(org.board).post(CASES, {"process": "offer_approval"}, format="json")
    assert response.status_code == 403


def test_reading_a_case_gives_history_and_diagram_xml(client_for, org):
    deploy_samples("approval.bpmn")
    api = client_for(org.sara)
    case_id = api.post(CASES, {"process": "offer_approval"}, format="json").data["id"]

    body = api.get(f"{CASES}{case_id}/").data

    assert [event["kind"] for event in body["history"]] == ["started"]
    assert body["history"][0]["actor_name"] == "Sara"
    assert 'id="prepare_offer"' in body["diagram"]["xml"]
    assert client_for(org.designer).get(f"{CASES}{case_id}/").status_code == 404


def test_the_case_list_holds_only_my_cases(client_for, org):
    deploy_samples("approval.bpmn", "routing.bpmn")
    api = client_for(org.sara)
    mine = api.post(CASES, {"process": "offer_approval"}, format="json").data["id"]
    client_for(org.head).post(CASES, {"process": "expert_opinion"}, format="json")

    listed = api.get(CASES).data["results"]
    assert [case["id"] for case in listed] == [mine]
    assert api.get(CASES, {"status": "completed"}).data["results"] == []


def test_cancel_needs_a_reason(client_for, org):
    deploy_samples("approval.bpmn")
    api = client_for(org.sara)
    case_id = api.post(CASES, {"process": "offer_approval"}, format="json").data["id"]
    assert api.post(f"{CASES}{case_id}/cancel/", {}, format="json").status_code == 400
    response = api.post(f"{CASES}{case_id}/cancel/", {"reason": "rezygnacja"}, format="json")
    assert response.status_code == 200 and response.data["status"] == "cancelled"
