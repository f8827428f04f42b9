"""Through the API, a designed form checks the data the same way and describes its fields."""

from rest_framework.test import APIClient

from obieg.engine.models import WorkItem
from tests.engine.forms_schema.conftest import VALID
from tests.engine.helpers import open_item

ITEMS = "/api/engine/work-items/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_bad_json_data_is_400_with_field_errors_and_changes_nothing(org, request_case):
    item = open_item(request_case, "fill_request")
    data = {**VALID, "amount": 9000, "urgency": "critical", "agreed": True}
    response = api(org.sara).post(f"{ITEMS}{item.pk}/complete/", {"data": data}, format="json")
    assert response.status_code == 400
    assert {"amount", "urgency"} <= set(response.data)
    assert WorkItem.objects.get(pk=item.pk).status == "open"


def test_valid_json_data_completes_the_task(org, request_case):
    item = open_item(request_case, "fill_request")
    data = {**VALID, "amount": 12.5, "agreed": True}
    response = api(org.sara).post(f"{ITEMS}{item.pk}/complete/", {"data": data}, format="json")
    assert response.status_code == 200, response.data
    assert WorkItem.objects.get(pk=item.pk).status == "completed"


def test_the_item_describes_the_designed_fields(org, request_case):
    item = open_item(request_case, "fill_request")
    described = api(org.sara).get(f"{ITEMS}{item.pk}/").data["form_fields"]
    fields = {field["name"]: field for field in described}
    assert fields["supplier"]["required"] is True
    assert [value for value, _label in fields["urgency"]["choices"]][1:] == ["low", "high"]
