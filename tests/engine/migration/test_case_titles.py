"""A process administrator moves cases without reading customer names (#15).

A case's title often names the customer; the process administrator role sees
no customer records. The dry run and the run, on the page and in the API,
name each case by number, version and the steps it waits in; the title only
for those who may see the case (core.access), such as administrators.
"""

import pytest
from django.urls import reverse

from obieg.core import roles
from obieg.engine.runtime import services as engine
from tests.conftest import make_user
from tests.engine.helpers import reload
from tests.engine.migration.conftest import deploy_version, renamed, sample

CUSTOMER = "Jan Kowalski, Lipowa 7"
MAPPING = {"advance_invoice": "issue_advance"}


@pytest.fixture
def versions(org):
    v1 = deploy_version({"parallel.bpmn": sample("parallel.bpmn")})
    case = engine.start_case(process="installation_prep", actor=org.sara, title=CUSTOMER)
    v2 = deploy_version(
        {"parallel.bpmn": renamed(sample("parallel.bpmn"), "advance_invoice", "issue_advance")}
    )
    return v1, v2, case


@pytest.fixture
def paula(db):
    return make_user("paula", roles.PROCESS_ADMIN)


def _dry_run_page(client, v1, v2):
    return client.post(
        reverse("engine:migration_cases", args=[v1.pk]),
        {"other": v2.pk, "map:advance_invoice": "issue_advance", "run": "dry_run"},
    )


def test_the_dry_run_page_names_the_case_by_number_and_steps_not_its_title(client, paula, versions):
    v1, v2, case = versions
    client.force_login(paula)
    page = _dry_run_page(client, v1, v2)
    html = page.content.decode()
    assert CUSTOMER not in html and "Kowalski" not in html
    assert f"Case #{case.pk}" in html
    assert "Issue the advance invoice" in html and "Order the panels" in html  # waits in
    assert reverse("engine:case_detail", args=[case.pk]) not in html  # a page they cannot open
    [outcome] = page.context["dry"].outcomes
    assert outcome.title is None and outcome.version == 1
    assert {step.element_id for step in outcome.waiting} == {"advance_invoice", "order_panels"}


def test_the_run_result_names_no_customer_either(client, paula, versions):
    v1, v2, case = versions
    client.force_login(paula)
    done = client.post(
        reverse("engine:migration_cases", args=[v1.pk]),
        {
            "other": v2.pk,
            "map:advance_invoice": "issue_advance",
            "case": f"{case.pk}:{reload(case).revision}",
            "run": "migrate",
        },
    )
    [outcome] = done.context["moved"]
    assert outcome.moved and outcome.title is None
    assert "Kowalski" not in done.content.decode()


def test_an_administrator_still_sees_the_title(client, org, versions):
    v1, v2, case = versions
    client.force_login(org.admin)
    html = _dry_run_page(client, v1, v2).content.decode()
    assert CUSTOMER in html
    assert reverse("engine:case_detail", args=[case.pk]) in html


def test_the_api_dry_run_gives_a_process_administrator_no_title(client, org, paula, versions):
    v1, v2, case = versions
    url = f"/api/engine/definitions/{v1.pk}/migration/dry-run/"
    body = {"target": v2.pk, "mapping": MAPPING}
    client.force_login(paula)
    answer = client.post(url, body, content_type="application/json")
    assert answer.status_code == 200
    assert "Kowalski" not in answer.content.decode()
    [outcome] = answer.json()["cases"]
    assert outcome["case_id"] == case.pk and outcome["title"] is None
    assert outcome["version"] == 1
    assert {step["element_id"] for step in outcome["waiting"]} == {
        "advance_invoice",
        "order_panels",
    }
    assert {landing["to_id"] for landing in outcome["landings"]} == {
        "issue_advance",
        "order_panels",
    }
    client.force_login(org.admin)
    [outcome] = client.post(url, body, content_type="application/json").json()["cases"]
    assert outcome["title"] == CUSTOMER
