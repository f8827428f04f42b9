"""The team view: open and overdue tasks per person; a manager hands tasks over, nobody else."""

from django.urls import reverse

from obieg.engine.models import WorkItem
from obieg.engine.runtime import services as engine
from tests.conftest import give_role
from tests.engine.conftest import at, deploy_samples
from tests.engine.helpers import open_item

TEAM = reverse("engine:team")


def reassign_url(item) -> str:
    return reverse("engine:task_reassign", args=[item.pk])


def tomasz_tasks(org, count: int = 2) -> list[WorkItem]:
    deploy_samples("approval.bpmn")
    items = []
    for _ in range(count):
        case = engine.start_case(process="offer_approval", actor=org.sara)
        items.append(engine.claim(work_item=open_item(case, "prepare_offer"), actor=org.tomasz))
    return items


def test_a_manager_sees_open_and_overdue_tasks_per_person(client, org, frozen):
    deploy_samples("due_dates.bpmn")
    give_role(org.tomasz, "secretariat")
    tomasz_tasks(org)
    with frozen(at(2026, 12, 21, 9)):
        complaint = engine.start_case(process="complaint", actor=org.manager)
        engine.claim(work_item=open_item(complaint, "acknowledge"), actor=org.tomasz)
    client.force_login(org.manager)
    with frozen(at(2026, 12, 23, 9)):
        response = client.get(TEAM)

    assert response.status_code == 200
    load = [
        (row["assignee__username"], row["open"], row["overdue"]) for row in response.context["load"]
    ]
    assert load == [("tomasz", 3, 1)]
    # The overdue task leads the list of tasks to hand over.
    assert response.context["rows"][0][0].element_id == "acknowledge"
    assert 'data-person="tomasz"' in response.content.decode()


def test_a_manager_hands_a_task_to_someone_of_its_role(client, org):
    item = tomasz_tasks(org, 1)[0]
    client.force_login(org.manager)
    page = client.get(TEAM)
    candidates = dict(page.context["rows"])[WorkItem.objects.get(pk=item.pk)]
    assert {user.username for user in candidates} == {"sara", "tomasz", "olga"}

    response = client.post(reassign_url(item), {"to": org.sara.pk}, follow=True)

    assert WorkItem.objects.get(pk=item.pk).assignee == org.sara
    assert "now belongs to Sara" in response.content.decode()


def test_a_task_cannot_go_to_someone_outside_its_role(client, org):
    item = tomasz_tasks(org, 1)[0]
    client.force_login(org.manager)
    response = client.post(reassign_url(item), {"to": org.designer.pk}, follow=True)
    assert WorkItem.objects.get(pk=item.pk).assignee == org.tomasz
    assert "Choose a person of the task" in response.content.decode()


def test_someone_who_manages_nobody_may_not_hand_tasks_over(client, org):
    item = tomasz_tasks(org, 1)[0]
    client.force_login(org.sara)  # sees the case (she owns it) but manages nobody
    assert client.get(TEAM).status_code == 403
    response = client.post(reassign_url(item), {"to": org.sara.pk})
    assert response.status_code == 403
    assert WorkItem.objects.get(pk=item.pk).assignee == org.tomasz


def test_a_department_head_sees_the_department_queue(client, org):
    deploy_samples("routing.bpmn")
    case = engine.start_case(process="expert_opinion", actor=org.manager)
    client.force_login(org.head)
    response = client.get(TEAM)
    assert response.status_code == 200
    assert [(q["candidate_department__name"], q["open"]) for q in response.context["queues"]] == [
        ("Construction", 1)
    ]
    assert [row[0].pk for row in response.context["rows"]] == [open_item(case, "assess").pk]


def test_an_empty_team_says_so(client, org):
    client.force_login(org.manager)
    html = client.get(TEAM).content.decode()
    assert 'id="empty-load"' in html
