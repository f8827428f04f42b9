"""One PV case in Chromium: the public lead form to the closed case, each role in turn."""

import re

import pytest
from playwright.sync_api import expect

from obieg.core.models import User
from obieg.engine.models import Case, WorkItem
from obieg.mail.models import OutboxMessage
from obieg.scheduling.models import Crew
from obieg.solutions.pv_installation.models import PVProject
from tests.browser.test_installer_day import draw_signature
from tests.solutions.pv_installation.conftest import (  # noqa: F401 (fixtures)
    WORK_START,
    electrical_crew,
    electrician,
    installer,
    profile,
    pv_setup,
    roof_crew,
)

pytestmark = pytest.mark.usefixtures("transactional_db", "roof_crew", "electrical_crew")
AUDIT_TEXT = {
    "roof_pitch": "35",
    "azimuth": "180",
    "usable_area": "60",
    "annual_consumption_kwh": "6500",
    "tariff": "G11",
    "connection_power_kw": "14",
    "ppe_number": "590310600000123456",
}
AUDIT_CHOICES = {
    "roof_type": "gable",
    "roof_covering": "tile",
    "shading": "none",
    "phases": "3",
    "operator": "Tauron",
    "building_type": "residential",
}
DESIGN = {
    "panel_model": "JA Solar 450",
    "panel_wp": "450",
    "panel_count": "14",
    "inverter": "Fronius Symo 6.0",
    "mounting": "K2 Systems",
    # The lines table: one input per cell, amounts as Polish people type them.
    "lines-0-description": "Moduł 450 Wp",
    "lines-0-quantity": "14",
    "lines-0-unit_cost": "420",
    "lines-0-unit_price": "610",
    "lines-1-description": "Falownik",
    "lines-1-quantity": "1",
    "lines-1-unit_cost": "5 200",
    "lines-1-unit_price": "6 900,00",
}


@pytest.fixture
def as_user(page, login):
    def _as(user):
        page.context.clear_cookies()
        return login(user)

    return _as


def work_on(page, live_server, case, element, fill=None, select=None, check=(), sign=False):
    """Open the task page, claim the task if it waits in a queue, fill the form, complete it.

    With `sign`, the customer signs on the pad first (the part that completes the works).
    """
    item = WorkItem.objects.get(case=case, element_id=element, status="open")
    page.goto(f"{live_server.url}/work/tasks/{item.pk}/")
    claim = page.locator('[data-action="claim"]')
    if claim.count():
        claim.click()
    for name, value in (fill or {}).items():
        page.fill(f"[name={name}]", value)
    for name, value in (select or {}).items():
        page.select_option(f"select[name={name}]", value)
    for name in check:
        page.check(f"input[name={name}]")
    if sign:
        draw_signature(page)
    page.click('[data-action="complete"]')
    expect(page.locator(".alert-success")).to_be_visible()


def customer_link(live_server) -> str:
    body = OutboxMessage.objects.order_by("-id").first().body
    return live_server.url + re.search(r"https?://[^/\s]+(/pv/c/\S+)", body).group(1)


def test_a_pv_case_from_the_web_form_to_the_closed_case(org, page, live_server, as_user):
    roofers, electricians = (
        Crew.objects.get(name="Ekipa Dach"),
        Crew.objects.get(name="Elektro-Serwis"),
    )
    roofer, wirer = User.objects.get(username="igor"), User.objects.get(username="edward")
    page.goto(f"{live_server.url}/pv/lead/")
    page.fill("[name=contact_name]", "Jan Kowalski")
    page.fill("[name=email]", "jan.kowalski@example.com")
    page.fill("[name=postal_code]", "30-001")
    page.fill("[name=city]", "Kraków")
    page.check("[name=consent]")
    page.click("#send")
    expect(page.locator("#thanks")).to_be_visible()
    project = PVProject.objects.get()
    case = Case.objects.get(pk=project.case_id)

    as_user(project.owner)
    work_on(page, live_server, case, "audit", fill=AUDIT_TEXT, select=AUDIT_CHOICES)
    as_user(org.designer)
    work_on(page, live_server, case, "design", fill=DESIGN)

    page.context.clear_cookies()  # the customer has no account
    page.goto(customer_link(live_server))
    page.click("#accept")
    expect(page.locator("#done")).to_be_visible()

    as_user(org.manager)
    work_on(page, live_server, case, "approve_contract", select={"contract_approved": "yes"})
    page.context.clear_cookies()
    page.goto(customer_link(live_server))
    page.click("#accept")
    expect(page.locator("#done")).to_be_visible()

    as_user(org.accountant)
    work_on(
        page,
        live_server,
        case,
        "record_advance_payment",
        fill={"paid_on": str(project.created_at.date())},
    )
    as_user(org.manager)
    work_on(
        page,
        live_server,
        case,
        "plan_works",
        fill={"start_date": WORK_START.isoformat(), "roof_days": "1", "electrical_days": "1"},
        select={"roof_crew": str(roofers.pk), "electrical_crew": str(electricians.pk)},
    )
    as_user(roofer)
    work_on(
        page,
        live_server,
        case,
        "roof_work",
        fill={"panel_serials": "JA1\nJA2"},
        # Planned two weeks ahead, so done "early": the form asks for the tick.
        check=("roof_mounting_checked", "roof_sealed", "roof_confirm_early"),
    )
    as_user(wirer)
    work_on(
        page,
        live_server,
        case,
        "electrical_work",
        fill={"inverter_serial": "FR-1"},
        check=("dc_tests_done", "grounding_checked", "commissioned", "electrical_confirm_early"),
        sign=True,
    )
    as_user(org.accountant)
    work_on(
        page,
        live_server,
        case,
        "record_final_payment",
        fill={"paid_on": str(project.created_at.date())},
    )
    assert Case.objects.get(pk=case.pk).status == "completed"
