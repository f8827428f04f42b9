"""The inbox page: my tasks and my groups' unclaimed ones, overdue first, filters, pages, badge."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from obieg.engine import labels, timers
from obieg.engine.runtime import services as engine
from tests.conftest import give_role
from tests.engine.conftest import at, deploy_samples
from tests.engine.helpers import open_item

INBOX = reverse("engine:inbox")


def rows(response) -> list[tuple[int, str]]:
    return [(row.item.case_id, row.element_id) for row in response.context["rows"]]


def test_the_inbox_shows_my_tasks_and_my_groups_unclaimed_ones_overdue_first(client, org, frozen):
    deploy_samples("due_dates.bpmn", "approval.bpmn")
    give_role(org.sara, "secretariat")
    with frozen(at(2026, 12, 21, 9)):
        complaint = engine.start_case(process="complaint", actor=org.manager)
    with frozen(at(2026, 12, 22, 9)):
        offer = engine.start_case(process="offer_approval", actor=org.sara)
        engine.claim(work_item=open_item(offer, "prepare_offer"), actor=org.sara)
        others = engine.start_case(process="offer_approval", actor=org.olga)
        engine.claim(work_item=open_item(others, "prepare_offer"), actor=org.olga)
    client.force_login(org.sara)
    with frozen(at(2026, 12, 23, 13)):
        timers.mark_overdue_items()
        response = client.get(INBOX)

    assert response.status_code == 200
    assert rows(response) == [
        (complaint.pk, "acknowledge"),  # overdue since 21 Dec 11:00
        (complaint.pk, "answer"),
        (complaint.pk, "file"),  # no due date
        (offer.pk, "prepare_offer"),  # mine, claimed; Olga's claimed one is not here
    ]
    html = response.content.decode()
    assert 'class="table-danger"' in html and "overdue" in html
    assert html.count('data-action="claim"') == 3  # the queue's items, not my own


def test_a_member_of_another_group_does_not_see_the_queue(client, org):
    deploy_samples("due_dates.bpmn")
    engine.start_case(process="complaint", actor=org.manager)
    client.force_login(org.designer)
    response = client.get(INBOX)
    assert rows(response) == []
    assert 'id="empty-state"' in response.content.decode()


def test_the_inbox_filters_by_process_and_step(client, org):
    deploy_samples("due_dates.bpmn", "approval.bpmn")
    give_role(org.sara, "secretariat")
    complaint = engine.start_case(process="complaint", actor=org.manager)
    engine.start_case(process="offer_approval", actor=org.sara)
    client.force_login(org.sara)

    by_process = client.get(INBOX, {"process": "complaint"})
    assert {case_id for case_id, _ in rows(by_process)} == {complaint.pk}
    assert [step for step, _name in by_process.context["steps"]] == [
        "acknowledge",
        "answer",
        "file",
    ]

    by_step = client.get(INBOX, {"process": "complaint", "step": "answer"})
    assert rows(by_step) == [(complaint.pk, "answer")]

    # An unknown process or step is no filter at all, not an error.
    assert len(rows(client.get(INBOX, {"process": "nope", "step": "x"}))) == 4


def test_a_process_file_is_read_once_for_its_step_filter(client, org):
    # The steps come from the version's own file: loaded and parsed the first time a
    # process meets that version, not on every filtered inbox (2.8 ms a request).
    deploy_samples("due_dates.bpmn")
    engine.start_case(process="complaint", actor=org.manager)
    client.force_login(org.sara)
    client.get(INBOX, {"process": "complaint"})
    with CaptureQueriesContext(connection) as queries:
        again = client.get(INBOX, {"process": "complaint", "step": "answer"})
    assert [step for step, _name in again.context["steps"]] == ["acknowledge", "answer", "file"]
    assert not [query for query in queries if "sources" in query["sql"]]


def test_the_inbox_comes_in_pages(client, org, settings):
    deploy_samples("approval.bpmn")
    started = [engine.start_case(process="offer_approval", actor=org.sara) for _ in range(30)]
    client.force_login(org.sara)

    first = client.get(INBOX)
    assert len(first.context["rows"]) == 25 and first.context["next_cursor"]
    second = client.get(INBOX, {"cursor": first.context["next_cursor"]})
    assert second.context["next_cursor"] is None
    seen = [row.item.case_id for row in [*first.context["rows"], *second.context["rows"]]]
    assert seen == [case.pk for case in started]

    forged = client.get(INBOX, {"cursor": "not-a-cursor"})
    assert forged.status_code == 200 and len(forged.context["rows"]) == 25


def test_the_navigation_badge_counts_open_tasks_and_shows_team_to_managers(client, org):
    deploy_samples("approval.bpmn")
    engine.start_case(process="offer_approval", actor=org.sara)
    client.force_login(org.sara)
    home = client.get(reverse("home")).content.decode()
    # The Inbox link comes right after Home; the count arrives with htmx.
    assert home.index(INBOX) < home.index(reverse("account_list"))
    assert reverse("engine:nav_badge") in home

    badge = client.get(reverse("engine:nav_badge")).content.decode()
    assert ">1</span>" in badge
    assert reverse("engine:team") not in badge

    client.force_login(org.manager)
    assert reverse("engine:team") in client.get(reverse("engine:nav_badge")).content.decode()


def test_the_badge_is_capped(client, org, monkeypatch):
    from obieg.engine.web import views_inbox

    monkeypatch.setattr(views_inbox, "BADGE_CAP", 3)
    deploy_samples("approval.bpmn")
    for _ in range(5):
        engine.start_case(process="offer_approval", actor=org.sara)
    client.force_login(org.sara)
    assert ">3+</span>" in client.get(reverse("engine:nav_badge")).content.decode()


def test_signed_out_visitors_are_sent_to_log_in(client, db):
    assert client.get(INBOX).status_code == 302
    assert client.get(reverse("engine:nav_badge")).content == b""


def test_the_inbox_reads_a_fixed_number_of_queries_for_department_queues(client, org):
    deploy_samples("routing.bpmn")
    client.force_login(org.head)

    def queries_for_inbox() -> int:
        labels.clear()  # each count reads the version's names once (engine.labels)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(INBOX)
        assert response.status_code == 200
        return len(queries)

    engine.start_case(process="expert_opinion", actor=org.head)
    one = queries_for_inbox()
    for _ in range(3):
        engine.start_case(process="expert_opinion", actor=org.head)
    response = client.get(INBOX)
    assert len(response.context["rows"]) == 4
    assert response.content.decode().count("Construction") >= 4  # each row names its queue
    assert queries_for_inbox() == one


def test_the_processes_link_is_the_administrators_whoever_opened_the_inbox_first(client, org):
    """The page's fixed text is drawn once per language and kind of reader, not per process."""
    processes = reverse("engine:definition_list")
    for user, sees in ((org.sara, False), (org.admin, True), (org.sara, False)):
        client.force_login(user)
        html = client.get(INBOX).content.decode()
        assert (f'btn-sm" href="{processes}"' in html) is sees, user.username
        assert "Any process" in html and "Nothing to do" in html
