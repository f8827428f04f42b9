"""A call of a function nothing defines is refused at deploy, naming the element.

FEEL itself gives null for such a call, so `Decimal("0.30")` - the Python
spelling of our first tables - would otherwise deploy and never match.
"""

from __future__ import annotations

import pytest

from obieg.engine import deploy, expressions
from obieg.engine.errors import DeployError
from obieg.engine.feel.calls import unknown_functions
from obieg.engine.feel.parser import parse_expression
from tests.engine.conftest import DATA

FEEL_DATA = DATA / "feel"


def _refusal(tmp_path, **replaced: tuple[str, str]) -> str:
    paths = []
    for name, (old, new) in replaced.items():
        text = (FEEL_DATA / f"{name.replace('_', '.')}").read_text()
        assert old in text
        path = tmp_path / name.replace("_", ".")
        path.write_text(text.replace(old, new))
        paths.append(path)
    for name in ("credit.bpmn", "credit.dmn"):
        if not (tmp_path / name).exists():
            (tmp_path / name).write_text((FEEL_DATA / name).read_text())
            paths.append(tmp_path / name)
    with pytest.raises(DeployError) as caught:
        deploy.deploy_files(paths)
    return "\n".join(caught.value.problems)


def test_a_python_decimal_in_a_decision_table_is_refused(db, tmp_path):
    python_number = ("<text>100.50</text>", '<text>Decimal("100.50")</text>')
    message = _refusal(tmp_path, credit_dmn=python_number)
    assert "credit.dmn" in message and "fees" in message
    assert "Decimal()" in message and "0.30" in message


def test_an_unknown_function_in_an_input_entry_is_refused(db, tmp_path):
    unknown = ("<text>[250..1000]</text>", "<text>&lt; limit(5)</text>")
    message = _refusal(tmp_path, credit_dmn=unknown)
    assert "limit()" in message and "risk" in message


def test_an_unknown_function_in_a_gateway_condition_is_refused(db, tmp_path):
    message = _refusal(tmp_path, credit_bpmn=("fee &gt;= 100", 'fee &gt;= Decimal("100")'))
    assert "to_board" in message and "Decimal()" in message


@pytest.mark.parametrize(
    "text",
    [
        "string length(name) > 3",  # a built-in with a space in its name
        "{double: function(n) n * 2, r: double(4)}.r",  # bound in a context
        "for f in [abs] return f(-1)",  # bound by for
        "(function(g) g(2))(abs)",  # a parameter
        "business_days(3)",  # Obieg's own extension
    ],
)
def test_calls_that_something_defines_are_accepted(text):
    expressions.validate(f"= {text}")


def test_names_the_model_defines_may_be_called():
    tree = parse_expression("discount(amount) + fee(1)", ["discount"])
    assert unknown_functions(tree, {"discount"}) == ["fee"]
