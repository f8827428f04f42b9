"""A purchase request whose first task has a form designed in the studio (a form-js schema)."""

from __future__ import annotations

from pathlib import Path

import pytest

from obieg.engine import deploy
from obieg.engine.form_schema import embedded
from obieg.engine.runtime import services as engine

DATA = Path(__file__).parent / "data"
BASE = (DATA / "request.bpmn").read_text(encoding="utf-8")

# Every rule the server checks, one field each.
SCHEMA = {
    "type": "default",
    "schemaVersion": 16,
    "components": [
        {"type": "text", "text": "# Purchase request"},
        {
            "type": "textfield",
            "key": "supplier",
            "label": "Supplier",
            "validate": {"required": True, "minLength": 3, "maxLength": 40},
        },
        {
            "type": "textfield",
            "key": "order_code",
            "label": "Order code",
            "validate": {"pattern": "^PO-[0-9]{4}$"},
        },
        {
            "type": "textfield",
            "key": "email",
            "label": "E-mail",
            "validate": {"validationType": "email"},
        },
        {
            "type": "number",
            "key": "amount",
            "label": "Amount",
            "decimalDigits": 2,
            "validate": {"required": True, "min": 1, "max": 5000},
        },
        {"type": "number", "key": "pieces", "label": "Pieces", "decimalDigits": 0},
        {
            "type": "select",
            "key": "urgency",
            "label": "Urgency",
            "values": [{"label": "Low", "value": "low"}, {"label": "High", "value": "high"}],
            "validate": {"required": True},
        },
        {
            "type": "group",
            "label": "More",
            "components": [
                {
                    "type": "checklist",
                    "key": "extras",
                    "label": "Extras",
                    "values": [
                        {"label": "Cable", "value": "cable"},
                        {"label": "Mount", "value": "mount"},
                    ],
                },
                {"type": "datetime", "key": "needed_by", "label": "Needed by", "subtype": "date"},
                {
                    "type": "checkbox",
                    "key": "agreed",
                    "label": "Agreed",
                    "validate": {"required": True},
                },
            ],
        },
    ],
}

VALID = {
    "supplier": "Hurtownia Solar",
    "order_code": "PO-1234",
    "email": "zakupy@example.com",
    "amount": "1200.50",
    "pieces": "4",
    "urgency": "high",
    "extras": ["cable", "mount"],
    "needed_by": "2027-01-15",
    "agreed": "on",
}


def request_xml(schema=SCHEMA, form: str = "schema:request") -> str:
    xml = embedded.with_schema(BASE, "request", schema)
    return xml.replace('id="fill_request"', f'id="fill_request" obieg:form="{form}"')


def deploy_request(xml: str | None = None):
    return deploy.deploy_sources({"request.bpmn": xml or request_xml()}, solution="tests")


@pytest.fixture
def request_case(org):
    report = deploy_request()
    assert not report.refused, [f.line() for f in report.findings.refusals]
    return engine.start_case(process="purchase_request", actor=org.sara, title="Inverters")
