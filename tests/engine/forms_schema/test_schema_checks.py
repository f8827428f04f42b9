"""A schema the server could not check the way the browser does is refused, naming the field."""

import pytest

from obieg.engine.form_schema import embedded, schema
from tests.engine.forms_schema.conftest import BASE, SCHEMA


def one(component) -> list[str]:
    return schema.problems({"components": [component]})


def test_the_sample_schema_is_usable():
    assert schema.problems(SCHEMA) == []
    assert [c["key"] for c in schema.inputs(SCHEMA)] == [
        "supplier",
        "order_code",
        "email",
        "amount",
        "pieces",
        "urgency",
        "extras",
        "needed_by",
        "agreed",
    ]


@pytest.mark.parametrize(
    ("component", "reason"),
    [
        ({"type": "filepicker", "key": "scan"}, "not supported"),
        ({"type": "textfield", "key": "1st"}, "must start with a letter"),
        ({"type": "textfield", "key": "a.b"}, "must start with a letter"),
        ({"type": "textfield"}, "must start with a letter"),
        (
            {"type": "textfield", "key": "x", "validate": {"pattern": "(unclosed"}},
            "not a valid regular",
        ),
        ({"type": "textfield", "key": "x", "validate": {"minLength": -1}}, "0 or more"),
        (
            {"type": "textfield", "key": "x", "validate": {"validationType": "iban"}},
            "unknown validation",
        ),
        ({"type": "number", "key": "x", "validate": {"min": 5, "max": 1}}, "minimum is above"),
        ({"type": "number", "key": "x", "validate": {"min": "=limit"}}, "must be a number"),
        ({"type": "number", "key": "x", "validate": {"max": True}}, "must be a number"),
        ({"type": "number", "key": "x", "decimalDigits": 40}, "decimal digits"),
        ({"type": "select", "key": "x"}, "list the options"),
        ({"type": "select", "key": "x", "valuesKey": "options"}, "options from data"),
        ({"type": "radio", "key": "x", "values": [{"value": "a"}, {"value": "a"}]}, "listed twice"),
        ({"type": "datetime", "key": "x", "subtype": "week"}, "date and time"),
        ({"type": "textfield", "key": "x", "conditional": {"hide": "=a"}}, "conditions"),
        ({"type": "textfield", "key": "x", "label": "=name"}, "expression"),
        ({"type": "text", "text": "=greeting"}, "expression as text"),
    ],
)
def test_a_field_the_server_cannot_check_is_refused(component, reason):
    found = one(component)
    assert len(found) == 1 and reason in found[0], found


def test_bounds_typed_as_text_in_the_designer_are_numbers():
    # form-js's properties panel writes a typed minimum or maximum as text ("5000").
    bounded = {"type": "number", "key": "x", "validate": {"min": "1", "max": "5000"}}
    assert one(bounded) == []
    assert "minimum is above" in one({**bounded, "validate": {"min": "9", "max": "10.5e-1"}})[0]


def test_a_key_used_twice_is_refused():
    twice = {"components": [{"type": "textfield", "key": "a"}, {"type": "number", "key": "a"}]}
    assert "used twice" in schema.problems(twice)[0]


def test_a_schema_that_is_not_a_form_is_refused():
    assert schema.problems([]) and schema.problems({"components": "x"})


def test_a_schema_kept_in_the_file_reads_back_and_can_be_removed():
    xml = embedded.with_schema(BASE, "request", SCHEMA)
    assert embedded.schemas_in(xml) == {"request": SCHEMA}
    # Extension elements come first in the process, as BPMN's schema wants.
    assert xml.index("obieg:formSchema") < xml.index("bpmn:startEvent")
    replaced = embedded.with_schema(xml, "request", {"components": []})
    assert embedded.schemas_in(replaced) == {"request": {"components": []}}
    assert embedded.schemas_in(embedded.with_schema(replaced, "request", None)) == {}


def test_a_file_that_is_not_bpmn_cannot_hold_a_form():
    with pytest.raises(embedded.SchemaFileError):
        embedded.with_schema("<x/>", "a", {"components": []})
    with pytest.raises(embedded.SchemaFileError):
        embedded.with_schema("not xml", "a", {"components": []})
