"""Hostile expressions stay harmless: refused at parse or stopped with FeelLimitError."""

from __future__ import annotations

from decimal import Decimal

import pytest

from obieg.engine import feel
from obieg.engine.feel import FeelLimitError, Limits


def test_deep_bracket_nesting_is_refused_at_parse():
    text = "(" * 2000 + "1" + ")" * 2000
    with pytest.raises(FeelLimitError, match="nested deeper"):
        feel.parse_expression(text)


def test_deep_list_nesting_is_refused_at_parse():
    with pytest.raises(FeelLimitError):
        feel.parse_expression("[" * 2000 + "]" * 2000)


def test_deep_nesting_without_brackets_is_refused_at_parse():
    with pytest.raises(FeelLimitError):
        feel.parse_expression("- " * 2000 + "x")
    with pytest.raises(FeelLimitError):
        feel.parse_expression("if true then " * 2000 + "1" + " else 0" * 2000)


def test_long_flat_sums_are_fine():
    assert feel.evaluate(" + ".join(["1"] * 3000)) == Decimal(3000)


def test_source_length_is_limited():
    with pytest.raises(FeelLimitError, match="longer than"):
        feel.parse_expression("1" + " + 1" * 10_000)


def test_huge_exponent_literal_is_refused():
    with pytest.raises(FeelLimitError, match="outside the FEEL number range"):
        feel.parse_expression("1e500000")


def test_overflowing_arithmetic_gives_null():
    assert feel.evaluate("10 ** 999999") is None
    assert feel.evaluate("9.9e6000 * 10 ** 200") is None
    assert feel.evaluate("decimal(1, 999999999)") is None


def test_list_growth_is_stopped():
    with pytest.raises(FeelLimitError, match="list longer"):
        feel.evaluate("for i in 1..1000000000 return i")
    with pytest.raises(FeelLimitError):
        feel.evaluate("for i in 1..1000, j in 1..1000 return [i, j]")


def test_string_growth_is_stopped():
    with pytest.raises(FeelLimitError, match="string longer"):
        feel.evaluate(
            'string join(for i in 1..100000 return "0123456789abcdef")',
            limits=Limits(max_string_length=100_000),
        )
    text = "x"
    with pytest.raises(FeelLimitError, match="string longer"):
        feel.evaluate("s + s + s + s", {"s": text * 300_000})


def test_step_budget_stops_long_loops():
    patient = Limits(max_seconds=600)  # the steps decide here, not a loaded machine's clock
    with pytest.raises(FeelLimitError, match="evaluation steps"):
        feel.evaluate("some i in 1..100000, j in 1..100000 satisfies i < 0", limits=patient)


def test_endless_recursion_is_stopped():
    with pytest.raises(FeelLimitError):
        feel.evaluate("{f: function(n) f(n + 1), r: f(1)}.r")


def test_catastrophic_regular_expression_is_refused():
    assert feel.evaluate('matches("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "(a+)+$")') is None


@pytest.mark.parametrize(
    "text",
    [
        '__import__("os").system("true")',
        "exec",
        '"".__class__',
        "open",
        'function(x) external {java: {class: "java.lang.System", method signature: "exit(int)"}}',
    ],
)
def test_no_code_execution(text):
    try:
        value = feel.evaluate(text)
    except feel.FeelSyntaxError:
        return
    assert value is None or isinstance(value, feel.FeelFunction)
    if isinstance(value, feel.FeelFunction):
        assert value.call([Decimal(1)], None, feel.make_env()) is None


def test_a_deadline_stops_what_the_step_budget_would_let_run_long():
    # The step budget decides on every machine alike; the deadline behind it keeps
    # a slow or loaded machine from holding a worker longer than max_seconds.
    generous = Limits(max_steps=10**12, max_seconds=0.05)
    with pytest.raises(FeelLimitError, match="s of evaluation"):
        feel.evaluate("some i in 1..100000, j in 1..100000 satisfies i < 0", limits=generous)
