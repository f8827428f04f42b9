"""The case page: who may see it, what it shows, the live diagram's states, cancel and retry."""

import pytest
from django.urls import reverse

from obieg.documents.models import Document
from obieg.engine.runtime import services as engine
from tests.engine.conftest import deploy_samples
from tests.engine.helpers import open_item, reload
from tests.factories import AccountFactory, OpportunityFactory


def case_url(case, name: str = "engine:case_detail") -> str:
    return reverse(name, args=[case.pk])


def start_offer(org, **extra):
    deploy_samples("approval.bpmn")
    return engine.start_case(process="offer_approval", actor=org.sara, **extra)


def test_a_participant_sees_status_subject_tasks_history_and_the_diagram(client, org):
    account = AccountFactory(owner=org.sara, name="Słoneczny Dom")
    case = start_offer(org, subject=account, data={"power_kwp": 9.6})
    Document.objects.create(title="Umowa", kind="contract", account=account, created_by=org.sara)
    client.force_login(org.sara)

    response = client.get(case_url(case))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="running"' in html
    assert f'href="{reverse("account_detail", args=[account.pk])}"' in html
    assert 'id="open-tasks"' in html and "Prepare the offer" in html
    assert ("Power kwp", "9.6") in response.context["data_rows"]
    assert [line.event.kind for line in response.context["history"]] == ["started"]
    assert [d.title for d in response.context["documents"]] == ["Umowa"]
    assert f'data-diagram-url="{case_url(case, "engine:case_diagram")}"' in html
    assert "vendor/bpmn-js/bpmn-navigated-viewer.production.min.js" in html


def test_people_of_the_queue_managers_and_admins_see_the_case(client, org):
    case = start_offer(org)
    for person in (org.tomasz, org.manager, org.admin):
        client.force_login(person)
        response = client.get(case_url(case))
        assert response.status_code == 200, person
        assert response.context["case"] == case, person


def test_outsiders_get_404(client, org):
    case = start_offer(org)
    for person in (org.designer, org.stranger, org.board):
        client.force_login(person)
        assert client.get(case_url(case)).status_code == 404, person
        assert client.get(case_url(case, "engine:case_diagram")).status_code == 404, person


def test_whoever_sees_the_subject_sees_its_case(client, org):
    opportunity = OpportunityFactory(owner=org.olga)
    deploy_samples("routing.bpmn")
    case = engine.start_case(process="expert_opinion", actor=org.admin, subject=opportunity)
    client.force_login(org.olga)  # not a participant, but the opportunity is hers
    assert client.get(case_url(case)).status_code == 200
    client.force_login(org.tomasz)
    assert client.get(case_url(case)).status_code == 404


def test_the_diagram_moves_with_the_case(client, org):
    case = start_offer(org)
    client.force_login(org.sara)
    before = client.get(case_url(case, "engine:case_diagram")).json()
    assert before["states"] == {"start": "completed", "prepare_offer": "active"}
    assert before["xml"].startswith("<?xml") and 'id="prepare_offer"' in before["xml"]

    engine.complete(
        work_item=open_item(case, "prepare_offer"), actor=org.sara, data={"margin": "0.3"}
    )

    after = client.get(case_url(case, "engine:case_diagram")).json()["states"]
    assert after["prepare_offer"] == "completed" and after["send_offer"] == "active"


def test_an_event_waiting_for_a_message_is_marked_waiting(client, org):
    deploy_samples("message.bpmn")
    case = engine.start_case(process="offer_acceptance", actor=org.sara, data={"offer_number": 7})
    client.force_login(org.sara)
    states = client.get(case_url(case, "engine:case_diagram")).json()["states"]
    assert states["accepted"] == "waiting" and states["notify"] == "completed"


def test_the_owner_cancels_with_a_reason(client, org):
    case = start_offer(org)
    client.force_login(org.sara)
    assert 'name="reason"' in client.get(case_url(case, "engine:case_cancel")).content.decode()

    empty = client.post(case_url(case, "engine:case_cancel"), {"reason": ""})
    assert empty.status_code == 200 and empty.context["form"].errors["reason"]
    assert reload(case).status == "running"

    response = client.post(case_url(case, "engine:case_cancel"), {"reason": "Klient zrezygnował"})
    assert response.status_code == 302
    assert reload(case).status == "cancelled" and reload(case).cancel_reason == "Klient zrezygnował"
    assert not case.work_items.filter(status="open").exists()


def test_a_queue_member_may_see_but_not_cancel(client, org):
    case = start_offer(org)
    client.force_login(org.tomasz)
    assert "Cancel the case" not in client.get(case_url(case)).content.decode()
    response = client.post(case_url(case, "engine:case_cancel"), {"reason": "nie"})
    assert response.status_code == 403
    assert reload(case).status == "running"


def test_an_admin_retries_a_failed_step_others_may_not(client, org, engine_registry):
    deploy_samples("service.bpmn")
    case = engine.start_case(process="offer_mailing", actor=org.sara)
    engine_registry.fail = True
    try:
        engine.complete(work_item=open_item(case, "check_offer"), actor=org.sara)
    except engine.StepFailed:
        pass
    engine_registry.fail = False
    client.force_login(org.sara)
    page = client.get(case_url(case)).content.decode()
    assert 'id="case-error"' in page and "the mail server is down" in page
    assert 'data-action="retry"' not in page
    assert client.post(case_url(case, "engine:case_retry")).status_code == 403

    client.force_login(org.admin)
    response = client.post(case_url(case, "engine:case_retry"), follow=True)
    assert "the case goes on" in response.content.decode()
    assert reload(case).status == "running"


def test_the_case_list_shows_my_cases_in_pages(client, org):
    deploy_samples("approval.bpmn", "routing.bpmn")
    mine = [engine.start_case(process="offer_approval", actor=org.sara) for _ in range(27)]
    engine.start_case(process="expert_opinion", actor=org.head)
    client.force_login(org.sara)

    first = client.get(reverse("engine:case_list"))
    second = client.get(reverse("engine:case_list"), {"cursor": first.context["page"].next_cursor})
    listed = [case.pk for case in [*first.context["page"].rows, *second.context["page"].rows]]
    assert listed == [case.pk for case in reversed(mine)]

    filtered = client.get(reverse("engine:case_list"), {"status": "completed"})
    assert 'id="empty-state"' in filtered.content.decode()


def test_an_admin_sees_and_corrects_a_plain_tasks_data_as_json(client, org, engine_registry):
    deploy_samples("service.bpmn")
    case = engine.start_case(process="offer_mailing", actor=org.sara)
    engine_registry.fail = True
    with pytest.raises(engine.StepFailed):
        engine.complete(
            work_item=open_item(case, "check_offer"), actor=org.sara, data={"note": "sprawdzone"}
        )
    engine_registry.fail = False
    client.force_login(org.admin)
    page = client.get(case_url(case)).content.decode()
    assert "sprawdzone" in page  # what the step was given, to read and correct

    bad = client.post(case_url(case, "engine:case_retry"), {"repair": "1", "data": "[1]"})
    assert bad.status_code == 400 and reload(case).status == "error"
    good = client.post(
        case_url(case, "engine:case_retry"), {"repair": "1", "data": '{"note": "poprawione"}'}
    )
    assert good.status_code == 302
    assert (reload(case).status, reload(case).data["note"]) == ("running", "poprawione")
