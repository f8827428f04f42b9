"""The task page renders a designed form on the server and answers a bad submission with 400."""

from django.urls import reverse

from obieg.engine.models import WorkItemStatus
from tests.engine.forms_schema.conftest import VALID
from tests.engine.helpers import open_item


def test_the_page_renders_the_designed_fields_without_javascript(client, org, request_case):
    item = open_item(request_case, "fill_request")
    client.force_login(org.sara)
    page = client.get(reverse("engine:task", args=[item.pk])).content.decode()
    assert 'name="supplier"' in page and 'maxlength="40"' in page
    assert 'type="date"' in page and 'name="needed_by"' in page
    assert 'value="high"' in page and "Cable" in page
    assert '<p class="mb-2">Purchase request</p>' in page  # the designer's text block


def test_a_bad_value_comes_back_as_a_field_error_and_changes_nothing(client, org, request_case):
    item = open_item(request_case, "fill_request")
    client.force_login(org.sara)
    posted = {**VALID, "amount": "9000", "revision": item.revision}
    response = client.post(reverse("engine:task", args=[item.pk]), posted)
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 5000" in response.content.decode()
    item.refresh_from_db()
    assert item.status == WorkItemStatus.OPEN


def test_a_valid_submission_completes_the_task(client, org, request_case):
    item = open_item(request_case, "fill_request")
    client.force_login(org.sara)
    response = client.post(reverse("engine:task", args=[item.pk]), {**VALID, "revision": 0})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == WorkItemStatus.COMPLETED
