"""The server checks every answer of a designed form against its schema, never the browser."""

from datetime import date
from decimal import Decimal

import pytest

from obieg.core.errors import ApplicationError
from obieg.engine.runtime import services as engine
from tests.engine.forms_schema.conftest import VALID
from tests.engine.helpers import open_item, reload


def submit(org, case, **changes):
    data = {**VALID, **changes}
    for name in [name for name, value in changes.items() if value is None]:
        data.pop(name)
    return engine.complete(work_item=open_item(case, "fill_request"), actor=org.sara, data=data)


def refused_fields(org, case, **changes) -> dict[str, list[str]]:
    with pytest.raises(ApplicationError) as refused:
        submit(org, case, **changes)
    # Nothing moved: the task is still open and the case holds no answer.
    assert open_item(case, "fill_request").is_open
    assert "supplier" not in reload(case).data
    return refused.value.field_errors


def test_valid_answers_become_typed_case_data(org, request_case):
    submit(org, request_case)
    data = reload(request_case).data
    assert data["supplier"] == "Hurtownia Solar"
    # Checked and normalised on the server (the case's JSON copy holds decimals and dates as text).
    assert Decimal(data["amount"]) == Decimal("1200.50")
    assert data["pieces"] == 4
    assert data["extras"] == ["cable", "mount"]
    assert date.fromisoformat(str(data["needed_by"])) == date(2027, 1, 15)
    assert data["agreed"] is True
    assert open_item(request_case, "review").is_open


def test_a_required_field_left_empty_is_refused(org, request_case):
    assert list(refused_fields(org, request_case, supplier=None)) == ["supplier"]
    assert "amount" in refused_fields(org, request_case, amount="")


def test_text_shorter_or_longer_than_allowed_is_refused(org, request_case):
    assert "at least 3" in refused_fields(org, request_case, supplier="AB")["supplier"][0]
    assert "at most 40" in refused_fields(org, request_case, supplier="x" * 41)["supplier"][0]


def test_text_not_matching_the_pattern_is_refused(org, request_case):
    assert list(refused_fields(org, request_case, order_code="PO-12")) == ["order_code"]


def test_a_malformed_email_is_refused(org, request_case):
    assert list(refused_fields(org, request_case, email="not-an-address")) == ["email"]


def test_a_number_outside_its_bounds_or_not_a_number_is_refused(org, request_case):
    assert "5000" in refused_fields(org, request_case, amount="5000.01")["amount"][0]
    assert "1" in refused_fields(org, request_case, amount="0.5")["amount"][0]
    assert list(refused_fields(org, request_case, amount="lots")) == ["amount"]
    assert list(refused_fields(org, request_case, amount="NaN")) == ["amount"]


def test_too_many_decimal_digits_are_refused(org, request_case):
    assert list(refused_fields(org, request_case, amount="10.123")) == ["amount"]
    assert list(refused_fields(org, request_case, pieces="2.5")) == ["pieces"]


def test_an_option_not_in_the_list_is_refused(org, request_case):
    assert list(refused_fields(org, request_case, urgency="critical")) == ["urgency"]
    assert list(refused_fields(org, request_case, extras=["cable", "ladder"])) == ["extras"]


def test_a_date_that_is_not_a_date_is_refused(org, request_case):
    assert list(refused_fields(org, request_case, needed_by="2027-02-30")) == ["needed_by"]


def test_a_required_checkbox_must_be_ticked(org, request_case):
    assert list(refused_fields(org, request_case, agreed=None)) == ["agreed"]


def test_values_the_form_does_not_have_are_dropped(org, request_case):
    submit(org, request_case, is_admin=True, _internal="x")
    data = reload(request_case).data
    assert "is_admin" not in data and "_internal" not in data
