"""The manager's pages: the rule list editor, the queues, rescoring and rebuilding the days."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from obieg.core import clock
from obieg.solutions.pv_salesforce.models_queue import CallSlot, QueueItem, QueueRule
from tests.solutions.pv_salesforce.helpers import MONDAY, at, enqueue, morning, rule

RULES = reverse("salesforce:queue_rules")
QUEUE = reverse("salesforce:queue")

A_RULE = {"action": "add", "name": "Big in Kraków", "source": "web_form",
          "voivodeship": "malopolskie", "min_value": "40000,00", "points": "25"}  # fmt: skip


def test_a_manager_adds_a_rule(client, team):
    client.force_login(team.manager)
    answer = client.post(RULES, A_RULE)
    assert answer.status_code == 302
    added = QueueRule.objects.get()
    assert (added.name, added.points, added.min_value, added.position) == (
        "Big in Kraków", 25, Decimal("40000.00"), 1,
    )  # fmt: skip
    assert "Big in Kraków" in client.get(RULES).content.decode()


def test_bad_numbers_are_refused_beside_their_fields(client, team):
    client.force_login(team.manager)
    answer = client.post(RULES, {**A_RULE, "points": "many", "min_value": "9", "max_value": "5"})
    html = answer.content.decode()
    assert answer.status_code == 400
    assert "Enter a whole number." in html
    assert "The maximum must not be below the minimum." in html
    assert 'value="many"' in html  # what was typed is shown again
    assert not QueueRule.objects.exists()


def test_rules_are_changed_reordered_and_switched_off(client, team):
    first, second = rule(1, "First", 10), rule(2, "Second", 5)
    client.force_login(team.manager)
    change = {**A_RULE, "action": "change", "id": first.pk, "revision": first.revision,
              "name": "First, changed", "points": "-3"}  # fmt: skip
    assert client.post(RULES, change).status_code == 302
    stale = client.post(RULES, {**change, "name": "Lost edit"})  # the old revision again
    assert stale.status_code == 409
    assert client.post(RULES, {"action": "up", "id": second.pk}).status_code == 302
    assert client.post(RULES, {"action": "deactivate", "id": first.pk}).status_code == 302
    assert list(QueueRule.objects.order_by("position").values_list("name", "points", "active")) == [
        ("Second", 5, True),
        ("First, changed", -3, False),
    ]


def test_the_queue_lists_the_best_first_with_why_a_page_at_a_time(client, team):
    rule(1, "Big", 30, min_value="40000")
    with morning():
        small = [enqueue(team, name=f"Mały {n}") for n in range(25)]
        big = enqueue(team, name="Duży", value="45000")
    client.force_login(team.manager)
    first = client.get(QUEUE)
    html = first.content.decode()
    assert html.index("Duży") < html.index("Mały 0")
    assert "Big +30" in html
    assert "Mały 24" not in html  # 25 rows a page
    cursor = first.context["page"].next_cursor
    second = client.get(QUEUE, {"cursor": cursor})
    assert [item.pk for item in second.context["page"].rows] == [small[24].pk]
    assert big.pk not in [item.pk for item in second.context["page"].rows]


def test_rescore_and_rebuild_from_the_queue_page(client, team):
    with morning():
        item = enqueue(team)
    rule(1, "Everyone", 7)
    client.force_login(team.manager)
    with clock.frozen(at(MONDAY, 7, 30)):
        assert client.post(reverse("salesforce:queue_rescore")).status_code == 302
        assert client.post(reverse("salesforce:schedules_rebuild")).status_code == 302
    item.refresh_from_db()
    assert item.score == 7
    assert CallSlot.objects.filter(item=item).count() == 1
    assert item.status == QueueItem.Status.SCHEDULED


def test_salespeople_do_not_see_the_managers_pages(client, team):
    client.force_login(team.paula)
    for url in (RULES, QUEUE):
        assert client.get(url).status_code == 404
    assert client.post(reverse("salesforce:schedules_rebuild")).status_code == 404
    home = client.get("/").content.decode()
    assert "My calls" in home
    assert "Queue rules" not in home
