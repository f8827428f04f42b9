"""Expressions in process models: FEEL (`= …`), Camunda 7's JUEL (`${…}`) and the old syntax."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from obieg.core import clock
from obieg.engine import expressions, juel, moments

WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("= amount > 1000", {"amount": 1500}, True),
        ("= amount > 1000", {"amount": Decimal("999.99")}, False),
        ('= kind = "PV" and amount >= 250', {"kind": "PV", "amount": 250}, True),
        ("= offer.margin * 2", {"offer": {"margin": Decimal("0.15")}}, Decimal("0.30")),
        ('= if handler = null then "head" else handler', {"handler": None}, "head"),
        ("= not(approved)", {"approved": False}, True),
        ('= date(signed) + duration("P14D")', {"signed": "2026-03-02"}, date(2026, 3, 16)),
        ("= 0.1 + 0.2 = 0.3", {}, True),  # decimals, not floats
        ("= missing > 5", {}, None),  # an unknown name is null, and null is no match
        ("${amount > 1000}", {"amount": 1500}, True),
        ("${approved == true && level eq 'A'}", {"approved": True, "level": "A"}, True),
        ("${reviewer}", {"reviewer": "anna"}, "anna"),
        ("#{empty notes}", {"notes": ""}, True),
        ('offer_decision == "changes"', {"offer_decision": "changes"}, True),  # the old syntax
    ],
)
def test_each_syntax_means_what_it_says(text, names, expected):
    assert expressions.evaluate(text, names) == expected


@pytest.mark.parametrize(
    ("source", "feel"),
    [
        ("${a > 5}", "(a > 5)"),
        ("${x == 'y'}", '(x = "y")'),
        ("${!done || count ge 3}", "(not(done) or (count >= 3))"),
        ("${items[0].name}", "items[1].name"),
        ("${order['total'] div 2}", "(order.total / 2)"),
        ("${a % 2 == 0 ? 'even' : 'odd'}", '(if (modulo(a, 2) = 0) then "even" else "odd")'),
    ],
)
def test_juel_is_translated_to_feel(source, feel):
    assert juel.to_feel(source) == feel


@pytest.mark.parametrize(
    "source",
    [
        "#{service.findEditor(id)}",  # a method call: Java code
        "Dear ${name}",  # text around an expression
        "${a} and ${b}",
        "${a +}",
        "${$bean}",
    ],
)
def test_juel_without_a_feel_meaning_is_refused(source):
    with pytest.raises(juel.JuelError):
        juel.to_feel(source)
    with pytest.raises(expressions.ExpressionError):
        expressions.validate(source)


@pytest.mark.parametrize(
    "source",
    [
        "= 1 +",
        "= " + "(" * 2000 + "1" + ")" * 2000,  # deep nesting refused at parse
        "= 1e500000",  # a number too big to hold
        "= " + "x" * 3000,  # longer than any model expression
    ],
)
def test_hostile_or_broken_feel_is_refused_before_it_runs(source):
    with pytest.raises(expressions.ExpressionError):
        expressions.validate(source)


def test_growth_at_run_time_is_stopped_with_a_clear_error():
    with pytest.raises(expressions.ExpressionError, match="(?i)limit|long|steps|stopped"):
        expressions.evaluate(
            '= for i in 1..100000 return string join(for j in 1..1000 return "xxxxxxxxxx")', {}
        )


def test_the_case_names_are_computed_only_when_an_expression_reads_them():
    read = []

    class Lazy(Mapping):
        def __getitem__(self, name):
            read.append(name)
            return {"amount": 5, "expensive": 1}[name]

        def __iter__(self):
            return iter(["amount", "expensive"])

        def __len__(self):
            return 2

    assert expressions.evaluate("= amount + 1", Lazy()) == Decimal(6)
    assert read == ["amount"]


def test_business_days_and_feel_durations_make_due_dates():
    friday = datetime(2026, 3, 6, 10, 0, tzinfo=WARSAW)
    with clock.frozen(friday):
        due = moments.resolve("= business_days(1)", {}, start=friday)
        assert due.date() == date(2026, 3, 9)  # over the weekend
        later = moments.resolve('= duration("P2D")', {}, start=friday)
        assert later == datetime(2026, 3, 8, 10, 0, tzinfo=WARSAW)
        assert expressions.evaluate("= today()", {}) == date(2026, 3, 6)  # the one clock
