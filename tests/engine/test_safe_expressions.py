"""The safe evaluator: what a model may compute, and the attacks it refuses."""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from obieg.engine.expressions import ExpressionError, evaluate, validate

ATTACKS = [
    "__import__('os')",
    "__import__('os').system('touch /tmp/obieg-pwned')",
    "().__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "offer.__class__",
    "offer['__class__']",
    "lambda: 1",
    "(lambda: 1)()",
    "[x for x in items]",
    "{x: 1 for x in items}",
    "{x for x in items}",
    "(x for x in items)",
    "open('/etc/passwd')",
    "eval('1')",
    "exec('1')",
    "getattr(offer, 'items')",
    "globals()",
    "__builtins__",
    "items.append(1)",
    "'{0.__class__}'.format(1)",
    "f'{offer}'",
    "2 ** 1000000",
    "_secret",
    "len(*items)",
    "max(items, key=len)",
    "(y := 1)",
]


@pytest.mark.parametrize("source", ATTACKS)
def test_an_attack_cannot_run_from_a_model(source):
    with pytest.raises((ExpressionError, SyntaxError)):
        validate(source)
    with pytest.raises(ExpressionError):
        evaluate(source, {"offer": {"margin": 1}, "items": [1, 2], "_secret": 1})


def test_a_call_on_a_data_value_cannot_reach_its_methods():
    with pytest.raises(ExpressionError):
        evaluate("name.upper()", {"name": "x"})


def test_values_that_are_not_plain_data_are_refused():
    with pytest.raises(ExpressionError, match="cannot be used"):
        evaluate("thing", {"thing": object()})


def test_huge_strings_cannot_be_built():
    with pytest.raises(ExpressionError, match="too long"):
        evaluate("'x' * 100000000", {})
    with pytest.raises(ExpressionError, match="formatting"):
        evaluate("'%999999999d' % 1", {})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("margin >= Decimal('0.15')", True),
        ("margin * 100", Decimal("20.00")),
        ("kind in ('PV', 'heat pump') and not urgent", True),
        ("offer.total > 10000", True),
        ("offer['lines'][0]", "panel"),
        ("len(offer['lines'])", 2),
        ("max(1, 5, 3) + min([4, 2])", 7),
        ("round(Decimal('2.345'), 2)", Decimal("2.34")),
        ("'big' if offer.total > 50000 else 'small'", "small"),
        ("abs(-3) // 2 % 5", 1),
        ("customer is None", True),
        ("signed_on + days(14)", date(2026, 12, 15)),
        ("margin > 0.1", True),
        ("sum([1, 2, 3]) == 6 and any([0, 1]) and all([1])", True),
        ("str(offer.total) + ' PLN'", "20000 PLN"),
    ],
)
def test_a_model_can_compute_with_the_case_data(source, expected):
    names = {
        "margin": Decimal("0.20"),
        "kind": "PV",
        "urgent": False,
        "offer": {"total": 20000, "lines": ["panel", "inverter"]},
        "customer": None,
        "signed_on": date(2026, 12, 1),
    }
    assert evaluate(source, names) == expected


def test_an_unknown_name_is_a_clear_error():
    with pytest.raises(ExpressionError, match="unknown name 'margn'"):
        evaluate("margn > 1", {"margin": 1})


def test_days_gives_a_timedelta():
    assert evaluate("days(3)", {}) == timedelta(days=3)


def test_an_unsafe_condition_that_skipped_deploy_still_cannot_run(tmp_path):
    from obieg.engine.spiff.instance import Instance
    from obieg.engine.spiff.parser import build_parser, specs_for
    from tests.engine.conftest import DATA

    marker = Path("/tmp/obieg-pwned")
    marker.unlink(missing_ok=True)
    sources = {"unsafe.bpmn": (DATA / "refused" / "unsafe_condition.bpmn").read_text()}
    bundle = specs_for(build_parser(sources), "refused_unsafe_condition")
    instance = Instance.start(bundle, {}, names={}, run_action=None)
    with pytest.raises(Exception, match=r"calling .__import__.*is not allowed"):
        instance.run()
    assert not marker.exists()


def test_a_script_task_cannot_even_be_parsed():
    from obieg.engine.spiff.parser import ModelError, build_parser, specs_for
    from tests.engine.conftest import DATA

    sources = {"script.bpmn": (DATA / "refused" / "script_task.bpmn").read_text()}
    with pytest.raises(ModelError, match="compute: script tasks are not allowed"):
        specs_for(build_parser(sources), "refused_script_task")
