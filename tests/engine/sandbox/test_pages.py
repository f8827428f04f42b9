"""The test-run pages: start, see who gets each task, do it as them, discard; 403 for others."""

from __future__ import annotations

import pytest
from django.urls import reverse

from obieg.engine.models import Case, CaseEvent, WorkItem, WorkItemStatus
from obieg.engine.sandbox import runs
from obieg.mail.models import OutboxMessage
from tests.conftest import make_user


def _start(client, draft, data: str = '{"amount": 1200}'):
    return client.post(
        reverse("engine:sandbox_start", args=[draft.pk]), {"process": "trial", "start_data": data}
    )


def test_start_step_through_and_discard_in_the_browser_pages(client, process_admin, draft):
    client.force_login(process_admin)
    page = client.get(reverse("engine:studio_drafts"), {"solution": ""})
    assert reverse("engine:sandbox_start", args=[draft.pk]) in page.content.decode()

    response = _start(client, draft)
    case = Case.all_objects.get(sandbox=True)
    assert response.status_code == 302 and response.url == reverse(
        "engine:sandbox_run", args=[case.pk]
    )

    run = client.get(response.url)
    text = run.content.decode()
    assert run.status_code == 200
    assert "would go to the role accountant" in text and "Test run" in text
    item = WorkItem.objects.get(case=case, element_id="prepare")

    task_url = reverse("engine:sandbox_task", args=[case.pk, item.pk])
    refused = client.post(task_url, {"revision": item.revision, "margin": "lots"})
    assert refused.status_code == 400 and "margin" in refused.context["form"].errors
    done = client.post(task_url, {"revision": item.revision, "margin": "0.25"})
    assert done.status_code == 302

    run = client.get(reverse("engine:sandbox_run", args=[case.pk]))
    text = run.content.decode()
    assert "customer@example.com" in text  # what the mail action would have sent
    assert "would go to the department Board" in text
    assert not OutboxMessage.objects.exists()
    diagram = client.get(reverse("engine:sandbox_diagram", args=[case.pk])).json()
    assert diagram["states"]["approve"] == "active"

    confirm = client.get(reverse("engine:sandbox_discard", args=[case.pk]))
    assert confirm.status_code == 200 and "deleted for good" in confirm.content.decode()
    gone = client.post(reverse("engine:sandbox_discard", args=[case.pk]))
    assert gone.status_code == 302
    assert not Case.all_objects.exists() and not CaseEvent.objects.exists()
    assert client.get(reverse("engine:sandbox_run", args=[case.pk])).status_code == 404


def test_bad_start_data_is_a_field_error_and_starts_nothing(client, process_admin, draft):
    client.force_login(process_admin)
    for data in ("{not json", "[1, 2]"):
        response = _start(client, draft, data)
        assert response.status_code == 400 and "start_data" in response.context["form"].errors
    assert not Case.all_objects.exists()


def test_firing_the_timer_from_the_page(client, process_admin, draft):
    client.force_login(process_admin)
    case = runs.start_run(actor=process_admin, draft_id=draft.pk)
    prepare = WorkItem.objects.get(case=case, element_id="prepare")
    runs.complete_as(actor=process_admin, work_item_id=prepare.pk, data={"margin": "0.3"})
    approve = WorkItem.objects.get(case=case, element_id="approve")
    runs.complete_as(actor=process_admin, work_item_id=approve.pk, data={})

    assert (
        "Fire it now" in client.get(reverse("engine:sandbox_run", args=[case.pk])).content.decode()
    )
    response = client.post(reverse("engine:sandbox_timers", args=[case.pk]))
    assert response.status_code == 302
    assert WorkItem.objects.filter(
        case=case, element_id="close", status=WorkItemStatus.OPEN
    ).exists()
    again = client.post(reverse("engine:sandbox_timers", args=[case.pk]), follow=True)
    assert "waits for no timer" in again.content.decode()


def test_a_task_already_done_is_a_clear_refusal(client, process_admin, draft):
    client.force_login(process_admin)
    case = runs.start_run(actor=process_admin, draft_id=draft.pk)
    item = WorkItem.objects.get(case=case, element_id="prepare")
    url = reverse("engine:sandbox_task", args=[case.pk, item.pk])
    client.post(url, {"revision": item.revision, "margin": "0.25"})

    again = client.post(url, {"revision": item.revision, "margin": "0.25"}, follow=True)
    assert again.status_code == 200
    assert "already completed" in again.content.decode()


@pytest.mark.parametrize("role", ["accountant", None])
def test_others_get_403_on_every_test_run_page(client, process_admin, draft, role):
    case = runs.start_run(actor=process_admin, draft_id=draft.pk)
    item = WorkItem.objects.get(case=case, element_id="prepare")
    client.force_login(make_user("olga", *([role] if role else [])))
    gets = [
        reverse("engine:sandbox_start", args=[draft.pk]),
        reverse("engine:sandbox_run", args=[case.pk]),
        reverse("engine:sandbox_diagram", args=[case.pk]),
        reverse("engine:sandbox_task", args=[case.pk, item.pk]),
        reverse("engine:sandbox_discard", args=[case.pk]),
    ]
    posts = [
        reverse("engine:sandbox_start", args=[draft.pk]),
        reverse("engine:sandbox_task", args=[case.pk, item.pk]),
        reverse("engine:sandbox_timers", args=[case.pk]),
        reverse("engine:sandbox_discard", args=[case.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 403, url
    for url in posts:
        assert client.post(url, {"margin": "0.2", "process": "trial"}).status_code == 403, url
    assert Case.all_objects.filter(pk=case.pk).exists()
    assert WorkItem.objects.get(pk=item.pk).status == WorkItemStatus.OPEN


def test_a_real_case_is_not_a_test_run_page(client, process_admin, accountant):
    from obieg.engine.runtime import services
    from tests.engine.conftest import deploy_samples

    deploy_samples("approval.bpmn")
    real = services.start_case(process="offer_approval", actor=accountant)
    client.force_login(process_admin)
    assert client.get(reverse("engine:sandbox_run", args=[real.pk])).status_code == 404
    assert client.post(reverse("engine:sandbox_discard", args=[real.pk])).status_code == 404
    assert Case.objects.filter(pk=real.pk).exists()


def test_the_drafts_page_names_its_test_runs_without_a_query_per_run(client, process_admin, draft):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from obieg.engine import labels

    client.force_login(process_admin)
    url = reverse("engine:studio_drafts")

    def queries() -> int:
        labels.clear()  # as a fresh process would: every version's names read anew
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"solution": ""}).status_code == 200
        return len(captured)

    _start(client, draft)
    one = queries()
    for _ in range(3):
        _start(client, draft)
    assert Case.all_objects.filter(sandbox=True).count() == 4
    assert queries() == one
