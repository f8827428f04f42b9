"""A process administrator compares v1 and v2, runs a dry run and moves a running case."""

import pytest
from playwright.sync_api import expect

from obieg.core import roles
from obieg.engine import deploy, spec_cache
from obieg.engine.models import Case
from obieg.engine.runtime import services as engine
from tests.conftest import Org, make_user
from tests.engine.conftest import DATA

PARALLEL = (DATA / "parallel.bpmn").read_text()


@pytest.fixture
def versions(transactional_db):
    org = Org()
    v1 = deploy.deploy_sources({"parallel.bpmn": PARALLEL}, solution="tests").definitions[0]
    case = engine.start_case(process="installation_prep", actor=org.sara)
    renamed = PARALLEL.replace('"advance_invoice"', '"issue_advance"')
    v2 = deploy.deploy_sources({"parallel.bpmn": renamed}, solution="tests").definitions[0]
    yield make_user("paula", roles.PROCESS_ADMIN), v1, v2, case
    spec_cache.clear()


def test_compare_dry_run_and_move_a_case(login, live_server, versions):
    paula, v1, v2, case = versions
    page = login(paula)
    page.goto(f"{live_server.url}/work/processes/{v1.pk}/")
    page.click("#compare-versions")
    page.select_option("#compare-other", str(v2.pk))
    page.click("#compare-form button[type=submit]")
    expect(page.locator("#diff-list [data-element-id=advance_invoice]")).to_contain_text("removed")
    expect(page.locator("#diff-list [data-element-id=issue_advance]")).to_contain_text("added")
    for side in ("older", "newer"):
        diagram = page.locator(f"[data-diff-side={side}]")
        expect(diagram).to_have_attribute("data-state", "ready")
        expect(diagram).not_to_have_attribute("data-marked", "0")

    page.click("#move-cases-link")
    # The renamed task is suggested; the dry run says where the tokens land.
    expect(page.locator("select[name='map:advance_invoice']")).to_have_value("issue_advance")
    page.click("#dry-run")
    row = page.locator(f"#dry-run-result [data-case='{case.pk}']")
    expect(row).to_have_attribute("data-movable", "true")
    expect(row).to_contain_text("issue_advance")
    page.click("#run-migration")
    expect(page.locator(f"#migration-result [data-case='{case.pk}']")).to_have_attribute(
        "data-moved", "true"
    )
    assert Case.objects.get(pk=case.pk).definition_id == v2.pk
