"""An administrator repairs a stopped case through the API: read, correct and retry, move back."""

import pytest

from obieg.engine.models import CaseEvent
from obieg.engine.runtime import services as engine
from tests.engine.conftest import deploy_samples
from tests.engine.helpers import open_elements, open_item, reload

CASES = "/api/engine/cases/"


@pytest.fixture
def stopped(org, engine_registry):
    deploy_samples("service.bpmn")
    case = engine.start_case(process="offer_mailing", actor=org.sara)
    engine_registry.fail = True
    with pytest.raises(engine.StepFailed):
        engine.complete(work_item=open_item(case, "check_offer"), actor=org.sara, data={"x": 1})
    engine_registry.fail = False
    return reload(case)


def test_only_an_admin_reads_the_repair(client_for, org, stopped):
    assert client_for(org.sara).get(f"{CASES}{stopped.pk}/repair/").status_code == 403
    answer = client_for(org.admin).get(f"{CASES}{stopped.pk}/repair/")
    assert answer.status_code == 200
    assert answer.data["pending_kind"] == "complete"
    assert answer.data["pending_data"] == {"x": 1}
    assert [point["element_id"] for point in answer.data["return_points"]] == ["check_offer"]


def test_an_admin_retries_with_corrected_data(client_for, org, stopped, engine_registry):
    engine_registry.refuse = True  # needs "checked"
    api = client_for(org.admin)
    refused = api.post(f"{CASES}{stopped.pk}/retry/", {"data": {"checked": False}}, format="json")
    assert refused.status_code == 400 and "checked" in refused.data
    assert reload(stopped).status == "error"

    done = api.post(f"{CASES}{stopped.pk}/retry/", {"data": {"checked": True}}, format="json")

    assert done.status_code == 200 and done.data["status"] == "running"
    assert open_elements(stopped) == ["follow_up"]


def test_an_admin_moves_the_case_back(client_for, org, stopped):
    api = client_for(org.admin)
    point = api.get(f"{CASES}{stopped.pk}/repair/").data["return_points"][0]
    missing = api.post(f"{CASES}{stopped.pk}/move-back/", {"task": point["id"]}, format="json")
    assert missing.status_code == 400 and "reason" in missing.data

    moved = api.post(
        f"{CASES}{stopped.pk}/move-back/",
        {"task": point["id"], "reason": "start again"},
        format="json",
    )

    assert moved.status_code == 200 and moved.data["status"] == "running"
    assert stopped.events.filter(kind=CaseEvent.Kind.MOVED_BACK).exists()
    assert (
        client_for(org.sara)
        .post(
            f"{CASES}{stopped.pk}/move-back/", {"task": point["id"], "reason": "x"}, format="json"
        )
        .status_code
        == 403
    )
