"""Deploy refuses a task whose designed form is missing or broken; the form is versioned with it."""

from obieg.engine.form_schema import embedded, resolve
from obieg.engine.runtime import services as engine
from tests.engine.forms_schema.conftest import BASE, SCHEMA, deploy_request, request_xml
from tests.engine.helpers import open_item


def refusals(xml: str) -> list[str]:
    return [finding.line() for finding in deploy_request(xml).findings.refusals]


def test_a_task_naming_a_form_the_file_lacks_is_refused(db):
    found = refusals(request_xml(form="schema:nowhere"))
    assert len(found) == 1 and "no form 'nowhere' in this file" in found[0]
    assert "fill_request" in found[0]


def test_a_broken_form_is_refused_with_its_field(db):
    broken = {"components": [{"type": "number", "key": "amount", "validate": {"min": 9, "max": 1}}]}
    found = refusals(request_xml(schema=broken))
    assert len(found) == 1 and "field 'amount': the minimum is above the maximum" in found[0]


def test_a_form_that_is_not_json_is_refused(db):
    xml = request_xml().replace('{"type":"default"', '{"type":"default",,')
    assert "is not valid JSON" in refusals(xml)[0]


def test_a_running_case_keeps_the_form_of_its_version(org):
    deploy_request()
    first = engine.start_case(process="purchase_request", actor=org.sara, title="First")
    smaller = {"components": [{"type": "textfield", "key": "supplier", "label": "Supplier"}]}
    report = deploy_request(request_xml(schema=smaller))
    assert [d.version for d in report.definitions] == [2]
    second = engine.start_case(process="purchase_request", actor=org.sara, title="Second")

    old = resolve.form_class_for("request", first)
    new = resolve.form_class_for("request", second)
    assert "amount" in old.base_fields and "amount" not in new.base_fields
    assert open_item(first, "fill_request").form_key == "schema:request"


def test_a_form_key_not_in_the_version_refuses_every_submission(org, request_case):
    assert resolve.form_class_for("elsewhere", request_case) is resolve.UnavailableForm
    assert not resolve.UnavailableForm(data={}).is_valid()
    assert resolve.form_class_for("request", None) is resolve.UnavailableForm


def test_the_file_without_a_form_still_deploys(db):
    assert not deploy_request(BASE).refused
    assert embedded.schemas_in(request_xml(SCHEMA))
