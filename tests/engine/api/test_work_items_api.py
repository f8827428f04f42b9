"""My work through the API: list, claim, complete (400 on bad data, 409 when stale or done)."""

from obieg.engine.models import WorkItem
from obieg.engine.runtime import services as engine
from tests.engine.conftest import deploy_samples
from tests.engine.helpers import open_item

ITEMS = "/api/engine/work-items/"


def offer_case(org):
    deploy_samples("approval.bpmn")
    return engine.start_case(process="offer_approval", actor=org.sara)


def test_my_work_items_hold_mine_and_my_groups_unclaimed_ones(client_for, org):
    case = offer_case(org)
    deploy_samples("routing.bpmn")
    engine.start_case(process="expert_opinion", actor=org.manager)
    body = client_for(org.tomasz).get(ITEMS).data
    assert [(row["case"], row["element_id"]) for row in body["results"]] == [
        (case.pk, "prepare_offer")
    ]
    assert body["next"] is None
    assert client_for(org.tomasz).get(ITEMS, {"process": "expert_opinion"}).data["results"] == []


def test_the_list_comes_in_pages(client_for, org):
    deploy_samples("approval.bpmn")
    for _ in range(55):
        engine.start_case(process="offer_approval", actor=org.sara)
    api = client_for(org.sara)
    first = api.get(ITEMS).data
    assert len(first["results"]) == 50 and first["next"]
    second = api.get(first["next"]).data
    assert len(second["results"]) == 5 and second["next"] is None


def test_an_item_describes_the_form_complete_expects(client_for, org):
    item = open_item(offer_case(org), "prepare_offer")
    body = client_for(org.sara).get(f"{ITEMS}{item.pk}/").data
    fields = {field["name"]: field for field in body["form_fields"]}
    assert fields["margin"]["type"] == "DecimalField" and fields["margin"]["required"]
    assert client_for(org.designer).get(f"{ITEMS}{item.pk}/").status_code == 404


def test_claim_then_complete_runs_the_case_on(client_for, org):
    case = offer_case(org)
    item = open_item(case, "prepare_offer")
    api = client_for(org.tomasz)

    claimed = api.post(f"{ITEMS}{item.pk}/claim/")
    assert claimed.status_code == 200 and claimed.data["assignee"] == org.tomasz.pk

    done = api.post(
        f"{ITEMS}{item.pk}/complete/",
        {"data": {"margin": "0.3"}, "revision": claimed.data["revision"]},
        format="json",
    )

    assert done.status_code == 200, done.data
    assert done.data["work_item"]["status"] == "completed"
    assert done.data["case"]["status"] == "running"
    assert open_item(case, "send_offer").assignee == org.sara


def test_bad_data_is_400_with_field_errors_and_changes_nothing(client_for, org):
    item = open_item(offer_case(org), "prepare_offer")
    response = client_for(org.sara).post(
        f"{ITEMS}{item.pk}/complete/", {"data": {"margin": "lots"}}, format="json"
    )
    assert response.status_code == 400
    assert "margin" in response.data and response.data["detail"]
    assert WorkItem.objects.get(pk=item.pk).status == "open"


def test_a_stale_revision_is_409(client_for, org):
    item = open_item(offer_case(org), "prepare_offer")
    seen = item.revision
    engine.claim(work_item=item, actor=org.sara)
    response = client_for(org.sara).post(
        f"{ITEMS}{item.pk}/complete/", {"data": {"margin": "0.3"}, "revision": seen}, format="json"
    )
    assert response.status_code == 409
    assert WorkItem.objects.get(pk=item.pk).status == "open"


def test_completing_twice_is_409_naming_who_did_it(client_for, org):
    item = open_item(offer_case(org), "prepare_offer")
    api = client_for(org.sara)
    assert (
        api.post(
            f"{ITEMS}{item.pk}/complete/", {"data": {"margin": "0.3"}}, format="json"
        ).status_code
        == 200
    )
    again = client_for(org.tomasz).post(
        f"{ITEMS}{item.pk}/complete/", {"data": {"margin": "0.4"}}, format="json"
    )
    assert again.status_code == 409 and "already completed by Sara" in again.data["detail"]


def test_a_task_taken_from_my_queue_is_409_naming_who_took_it(client_for, org):
    item = engine.claim(work_item=open_item(offer_case(org), "prepare_offer"), actor=org.sara)
    response = client_for(org.tomasz).post(
        f"{ITEMS}{item.pk}/complete/", {"data": {"margin": "0.3"}}, format="json"
    )
    assert response.status_code == 409 and "Sara has already taken" in response.data["detail"]
    # Nor does it show him the case: the task is Sara's and her manager's now.
    assert client_for(org.tomasz).get(f"{ITEMS}{item.pk}/").status_code == 409
    assert client_for(org.stranger).get(f"{ITEMS}{item.pk}/").status_code == 404


def test_a_manager_reassigns_and_a_salesperson_may_not(client_for, org):
    item = engine.claim(work_item=open_item(offer_case(org), "prepare_offer"), actor=org.tomasz)
    refused = client_for(org.sara).post(f"{ITEMS}{item.pk}/reassign/", {"to": org.sara.pk})
    assert refused.status_code == 403
    moved = client_for(org.manager).post(f"{ITEMS}{item.pk}/reassign/", {"to": org.sara.pk})
    assert moved.status_code == 200 and moved.data["assignee"] == org.sara.pk
