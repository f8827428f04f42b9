"""The task page: claim in one click, complete through the form, refusals, the next task."""

from decimal import Decimal

from django.urls import reverse

from obieg.engine.models import CaseEvent, WorkItem
from obieg.engine.runtime import services as engine
from tests.engine.conftest import deploy_samples
from tests.engine.helpers import event_kinds, open_elements, open_item, reload

HTMX = {"HTTP_HX_REQUEST": "true"}


def task_url(item) -> str:
    return reverse("engine:task", args=[item.pk])


def start_offer(org):
    deploy_samples("approval.bpmn")
    return engine.start_case(process="offer_approval", actor=org.sara)


def test_claiming_from_the_queue_takes_one_click_and_opens_the_task(client, org):
    case = start_offer(org)
    item = open_item(case, "prepare_offer")
    client.force_login(org.tomasz)

    response = client.post(reverse("engine:task_claim", args=[item.pk]))

    assert response.status_code == 302 and response.url == task_url(item)
    assert WorkItem.objects.get(pk=item.pk).assignee == org.tomasz


def test_claiming_with_htmx_answers_with_the_updated_row(client, org):
    item = open_item(start_offer(org), "prepare_offer")
    client.force_login(org.tomasz)
    response = client.post(reverse("engine:task_claim", args=[item.pk]), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="item-{item.pk}"' in html and "Mine" in html and 'data-action="claim"' not in html


def test_a_task_someone_else_took_cannot_be_claimed(client, org):
    item = open_item(start_offer(org), "prepare_offer")
    engine.claim(work_item=item, actor=org.sara)
    client.force_login(org.tomasz)
    response = client.post(reverse("engine:task_claim", args=[item.pk]), **HTMX)
    assert response.status_code == 409
    assert "Sara has already taken this task" in response.content.decode()


def test_the_task_page_shows_the_registered_form_beside_the_case(client, org):
    item = open_item(start_offer(org), "prepare_offer")
    client.force_login(org.sara)
    response = client.get(task_url(item))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="margin"' in html and 'name="note"' in html
    assert f'name="revision" value="{item.revision}"' in html
    assert 'id="case-history"' in html and "Offer approval" in html


def test_bad_data_shows_field_errors_and_changes_nothing(client, org):
    case = start_offer(org)
    item = engine.claim(work_item=open_item(case, "prepare_offer"), actor=org.sara)
    events = event_kinds(case)
    client.force_login(org.sara)

    response = client.post(task_url(item), {"margin": "lots", "revision": item.revision})

    assert response.status_code == 400
    assert response.context["form"].errors["margin"]
    assert "is-invalid" in response.content.decode()
    assert WorkItem.objects.get(pk=item.pk).status == "open"
    assert event_kinds(case) == events


def test_completing_goes_on_to_my_next_task_of_the_case(client, org):
    case = start_offer(org)
    item = engine.claim(work_item=open_item(case, "prepare_offer"), actor=org.sara)
    client.force_login(org.sara)

    response = client.post(
        task_url(item), {"margin": "0.25", "note": "ok", "revision": item.revision}, follow=True
    )

    following = open_item(case, "send_offer")
    assert response.redirect_chain[-1][0] == task_url(following)
    assert "“Prepare the offer” is done." in response.content.decode()
    assert Decimal(str(reload(case).data["margin"])) == Decimal("0.25")
    assert WorkItem.objects.get(pk=item.pk).completed_by == org.sara


def test_completing_the_last_task_goes_back_to_the_inbox(client, org):
    deploy_samples("routing.bpmn")
    case = engine.start_case(process="expert_opinion", actor=org.manager)
    item = open_item(case, "assess")
    client.force_login(org.head)  # the construction department's head, a member
    response = client.post(task_url(item), {"comment": "", "revision": item.revision})
    assert response.status_code == 302 and response.url == reverse("engine:inbox")
    assert open_elements(case) == ["draw"]  # the design department's now


def test_a_plain_task_is_completed_with_an_optional_comment(client, org):
    case = start_offer(org)
    engine.complete(
        work_item=open_item(case, "prepare_offer"), actor=org.sara, data={"margin": "0.05"}
    )
    approval = open_item(case, "board_approval")
    client.force_login(org.board)
    page = client.get(task_url(approval)).content.decode()
    assert 'name="comment"' in page

    client.post(task_url(approval), {"comment": "Zgoda zarządu", "revision": approval.revision})

    assert WorkItem.objects.get(pk=approval.pk).status == "completed"
    done = case.events.get(kind=CaseEvent.Kind.TASK_COMPLETED, element_id="board_approval")
    assert done.data == {"comment": "Zgoda zarządu"}


def test_a_stale_form_is_refused_with_409_and_a_way_back(client, org):
    case = start_offer(org)
    item = open_item(case, "prepare_offer")
    rendered_at = item.revision
    engine.claim(work_item=item, actor=org.sara)  # bumps the revision
    client.force_login(org.sara)

    response = client.post(task_url(item), {"margin": "0.25", "revision": rendered_at})

    assert response.status_code == 409
    html = response.content.decode()
    assert "changed since you opened it: Sara has it now" in html
    assert reverse("engine:inbox") in html
    assert WorkItem.objects.get(pk=item.pk).status == "open"


def test_a_task_already_done_names_who_did_it(client, org):
    case = start_offer(org)
    item = open_item(case, "prepare_offer")
    client.force_login(org.tomasz)
    client.get(task_url(item))
    engine.complete(work_item=item, actor=org.sara, data={"margin": "0.25"}, revision=item.revision)

    response = client.post(task_url(item), {"margin": "0.30", "revision": item.revision})

    assert response.status_code == 409
    assert "already completed by Sara" in response.content.decode()


def test_a_task_assigned_to_someone_else_is_read_only(client, org):
    case = start_offer(org)
    item = engine.claim(work_item=open_item(case, "prepare_offer"), actor=org.sara)
    client.force_login(org.manager)  # sees the case (Sara's manager), may not do Sara's task
    page = client.get(task_url(item))
    assert page.status_code == 200 and 'id="task-form"' not in page.content.decode()
    response = client.post(task_url(item), {"margin": "0.3", "revision": item.revision})
    assert response.status_code == 403
    assert WorkItem.objects.get(pk=item.pk).status == "open"


def test_releasing_gives_the_task_back_to_the_queue(client, org):
    item = engine.claim(work_item=open_item(start_offer(org), "prepare_offer"), actor=org.sara)
    client.force_login(org.sara)
    response = client.post(reverse("engine:task_release", args=[item.pk]))
    assert response.status_code == 302
    assert WorkItem.objects.get(pk=item.pk).assignee is None


def test_outsiders_get_404_for_a_task(client, org):
    item = open_item(start_offer(org), "prepare_offer")
    client.force_login(org.designer)
    assert client.get(task_url(item)).status_code == 404
    assert client.post(reverse("engine:task_claim", args=[item.pk])).status_code == 404
    assert client.get(reverse("engine:task", args=[2**70])).status_code == 404


def test_a_form_shows_what_the_case_already_knows(client, org):
    deploy_samples("approval.bpmn")
    case = engine.start_case(process="offer_approval", actor=org.sara, data={"note": "dach płaski"})
    client.force_login(org.sara)
    form = client.get(task_url(open_item(case, "prepare_offer"))).context["form"]
    assert form.initial == {"note": "dach płaski"}


def test_a_failed_automatic_step_after_the_task_says_the_case_stopped(client, org, engine_registry):
    deploy_samples("service.bpmn")
    case = engine.start_case(process="offer_mailing", actor=org.sara)
    item = open_item(case, "check_offer")
    engine_registry.fail = True
    client.force_login(org.sara)

    response = client.post(task_url(item), {"comment": "", "revision": item.revision})

    assert response.status_code == 409
    assert "the mail server is down" in response.content.decode()
    assert reload(case).status == "error"
    assert WorkItem.objects.get(pk=item.pk).status == "open"  # the completion rolled back


def test_the_task_page_shows_the_newest_eight_history_lines_oldest_first(client, org):
    deploy_samples("ten_steps.bpmn")
    case = engine.start_case(process="ten_steps", actor=org.sara)
    for _ in range(8):
        item = case.work_items.filter(status="open").order_by("id").first()
        engine.complete(work_item=item, actor=org.sara, data={"amount": 5000})
    item = case.work_items.filter(status="open").order_by("id").first()
    client.force_login(org.sara)

    response = client.get(task_url(item))

    everything = list(case.events.order_by("at", "id").values_list("pk", flat=True))
    assert len(everything) > 8
    assert [line.event.pk for line in response.context["history"]] == everything[-8:]


def test_completing_never_opens_another_cases_identical_form(client, org):
    first, second = start_offer(org), start_offer(org)
    item = engine.claim(work_item=open_item(first, "prepare_offer"), actor=org.sara)
    engine.claim(work_item=open_item(second, "prepare_offer"), actor=org.sara)
    client.force_login(org.sara)
    # The first case's next task goes to the board: Sara has nothing more on it.
    response = client.post(task_url(item), {"margin": "0.05", "revision": item.revision})
    assert response.url == reverse("engine:inbox")
