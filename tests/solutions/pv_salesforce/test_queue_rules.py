"""The manager's rule list: scores, reasons, routing, entering the queue and rescoring."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from obieg.core import clock
from obieg.core.errors import PermissionDenied
from obieg.crm.models import Lead
from obieg.solutions.pv_salesforce import queue, rules
from obieg.solutions.pv_salesforce.models_queue import QueueItem, QueueKind
from tests.solutions.pv_salesforce.helpers import at, enqueue, morning, rule


@pytest.mark.parametrize(
    ("postal_code", "voivodeship"),
    [
        ("00-950", "mazowieckie"),
        ("31-042", "malopolskie"),
        ("80-001", "pomorskie"),
        ("90-001", "lodzkie"),
        ("50-001", "dolnoslaskie"),
        ("15-001", "podlaskie"),
        ("x1-000", ""),
        ("", ""),
    ],
)
def test_the_voivodeship_follows_the_postal_codes_first_two_digits(postal_code, voivodeship):
    assert rules.voivodeship_of(postal_code) == voivodeship


def test_matching_rules_add_their_points_and_say_why(team):
    rule(1, "Web form", 20, source=Lead.Source.WEB_FORM)
    rule(2, "Małopolska", 15, voivodeship="malopolskie")
    rule(3, "Referral", 50, source=Lead.Source.REFERRAL)
    rule(4, "Switched off", 99, active=False)
    with morning():
        item = enqueue(team, source=Lead.Source.WEB_FORM, postal_code="31-042")
    assert item.source == Lead.Source.WEB_FORM
    assert item.voivodeship == "malopolskie"
    assert item.score == 35
    assert [(r["name"], r["points"]) for r in item.reasons] == [
        ("Web form", 20),
        ("Małopolska", 15),
    ]
    assert item.queue == QueueKind.PHONE


def test_values_compare_exactly_at_the_bounds(team):
    rule(1, "Big", 10, min_value=Decimal("30000.00"), max_value=Decimal("50000.00"))
    with morning():
        scores = [
            enqueue(team, value=v).score for v in ("29999.99", "30000.00", "50000.00", "50000.01")
        ]
    assert scores == [0, 10, 10, 0]


def test_the_first_matching_rule_with_a_route_decides_the_queue(team):
    rule(1, "Storage goes out", 5, product="pv_storage", route_to=QueueKind.FIELD)
    rule(2, "Everything by phone", 1, route_to=QueueKind.PHONE)
    with morning():
        storage = enqueue(team, product="pv_storage")
        plain = enqueue(team, product="pv")
    assert (storage.queue, storage.score) == (QueueKind.FIELD, 6)
    assert (plain.queue, plain.score) == (QueueKind.PHONE, 1)


def test_age_and_previous_outcome_conditions(team):
    rule(1, "Fresh", 30, max_age_days=2)
    rule(2, "Promised a call", 40, previous_outcome="call_back")
    with morning():
        item = enqueue(team)
    assert item.score == 30
    QueueItem.objects.filter(pk=item.pk).update(last_outcome="call_back")
    with clock.frozen(at(date(2026, 3, 6), 7)):  # four days later: no longer fresh
        report = queue.rescore_all(actor=team.manager)
    item.refresh_from_db()
    assert report.changed == 1
    assert item.score == 40
    assert [r["name"] for r in item.reasons] == ["Promised a call"]


def test_entering_twice_keeps_one_item(team):
    with morning():
        item = enqueue(team)
        again = queue.enqueue_opportunity(actor=team.manager, opportunity=item.opportunity)
    assert again.pk == item.pk
    assert QueueItem.objects.count() == 1


def test_rescore_all_follows_changed_rules_and_leaves_closed_items(team):
    with morning():
        items = [enqueue(team, source=Lead.Source.REFERRAL) for _ in range(5)]
        closed = items[0]
        QueueItem.objects.filter(pk=closed.pk).update(status=QueueItem.Status.CLOSED)
        rule(1, "Referral", 25, source=Lead.Source.REFERRAL)
        report = queue.rescore_all(actor=team.manager)
        assert (report.items, report.changed) == (4, 4)
        assert queue.rescore_all(actor=team.manager).changed == 0  # nothing left to change
    scores = dict(QueueItem.objects.values_list("pk", "score"))
    assert scores[closed.pk] == 0
    assert {scores[i.pk] for i in items[1:]} == {25}
    revisions = set(QueueItem.objects.values_list("revision", flat=True))
    assert revisions == {1}  # a rescore is no one's edit: open call screens stay valid


def test_only_a_manager_rescores(team):
    with pytest.raises(PermissionDenied):
        queue.rescore_all(actor=team.paula)


def test_no_answers_lower_the_score_apart_from_the_rules(team):
    rule(1, "Web form", 20, source=Lead.Source.WEB_FORM)
    verdict = rules.evaluate(
        rules.active_rules(), rules.Facts(source=Lead.Source.WEB_FORM, attempts=2)
    )
    assert verdict.score == 20 - 2 * rules.NO_ANSWER_STEP
    assert verdict.reasons[-1] == {"rule": None, "name": "no_answer", "points": -10}
