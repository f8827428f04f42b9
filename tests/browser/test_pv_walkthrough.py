"""S1 as its people live it, in Chromium on a desktop and on a phone.

The customer sends the web form; the salesperson audits; the designer prices
three rounds (the customer asks for changes twice, through the link in the
e-mail); the manager returns the contract once and the customer asks for
changes to it once; the accountant records the 30 % advance; the manager
plans the crews; the installers report; the accountant records the final
payment. A second run takes the whole price in advance: no final invoice.

Every step goes through the pages (the inbox, the task forms, the customer's
page); the database is only read, to check what the pages did. Slow, and the
same on both databases: CI runs it once, on SQLite.
"""

# The PV fixtures are imported from their conftest and then asked for by name.
# ruff: noqa: F811

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from obieg.billing.models import InvoiceKind
from obieg.crm.models import Opportunity
from obieg.engine.models import Case, WorkItem
from obieg.mail.models import OutboxMessage
from obieg.scheduling.models import Crew
from obieg.solutions.pv_installation.models import PVProject
from tests.solutions.pv_installation.conftest import (  # noqa: F401 (fixtures)
    WORK_START,
    electrical_crew,
    electrician,
    installer,
    profile,
    pv_setup,
    roof_crew,
)

pytestmark = [
    pytest.mark.usefixtures("transactional_db", "roof_crew", "electrical_crew"),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])

CUSTOMER = {
    "contact_name": "Jan Kowalski",
    "email": "jan.kowalski@example.com",
    "phone": "600 100 200",
    "postal_code": "30-001",
    "city": "Kraków",
    "site_address": "ul. Słoneczna 5",
    "description": "Dach dwuspadowy od południa, chcemy obniżyć rachunki",
}
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
COMPONENTS = {
    "panel_model": "JA Solar JAM54S30 440",
    "panel_wp": "440",
    "panel_count": "14",
    "inverter": "Fronius Symo 6.0-3-M",
    "mounting": "K2 Systems",
}
FIRST_LINES = [
    ("Moduł JA Solar 440 Wp", "14", "szt.", "420", "610"),
    ("Falownik Fronius Symo 6.0", "1", "szt.", "5 200", "6 900,00"),
    ("Konstrukcja i montaż", "1", "kpl.", "3100", "5200"),
]
COLUMNS = ("description", "quantity", "unit", "unit_cost", "unit_price")


class Walk:
    """One person after another on the same page: log-ins, the inbox, task forms, the link."""

    def __init__(self, page, live_server, login, viewport):
        self.page, self.url, self.login, self.viewport = page, live_server.url, login, viewport
        page.set_viewport_size(viewport)

    def fits(self) -> None:
        """Nothing wider than the screen (a phone must not scroll sideways)."""
        assert self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    def as_user(self, user) -> None:
        self.page.context.clear_cookies()
        self.login(user)

    def as_customer(self, link: str) -> None:
        self.page.context.clear_cookies()  # the customer has no account: the link is the key
        self.page.goto(link)
        self.fits()

    def open_task(self, project, element: str) -> WorkItem:
        """From the inbox, as the person would: the task's link, then claim it if queued."""
        item = WorkItem.objects.get(case_id=project.case_id, element_id=element, status="open")
        self.page.goto(f"{self.url}/work/")
        self.page.locator(f'a[href="/work/tasks/{item.pk}/"]').first.click()
        expect(self.page.locator("#task-name")).to_have_attribute("data-element", element)
        claim = self.page.locator('#queued-note [data-action="claim"]')
        if claim.count():
            claim.click()
            expect(self.page.locator("#queued-note")).to_have_count(0)
        return item

    def fill(self, text=None, choices=None, checks=()) -> None:
        for name, value in (text or {}).items():
            self.page.fill(f"#task-form [name={name}]", value)
        for name, value in (choices or {}).items():
            self.page.select_option(f"#task-form select[name={name}]", value)
        for name in checks:
            self.page.check(f"#task-form input[name={name}]")

    def complete(self) -> None:
        self.page.click('#task-form [data-action="complete"]')
        expect(self.page.locator(".alert-success")).to_be_visible()

    def customer_link(self, kind: str) -> str:
        message = OutboxMessage.objects.filter(body__contains=f".{kind}.").latest("id")
        return self.url + re.search(r"https?://[^/\s]+(/pv/c/\S+)", message.body).group(1)


def send_the_web_form(walk: Walk) -> PVProject:
    walk.page.context.clear_cookies()
    walk.page.goto(f"{walk.url}/pv/lead/")
    walk.fits()
    for name, value in CUSTOMER.items():
        walk.page.fill(f"[name={name}]", value)
    walk.page.check("[name=consent]")
    walk.page.click("#send")
    expect(walk.page.locator("#thanks")).to_be_visible()
    return PVProject.objects.select_related("owner").get()


def audit(walk: Walk, project) -> None:
    walk.as_user(project.owner)
    # "New lead" on the salesperson's home page offers the PV start.
    walk.page.goto(f"{walk.url}/")
    walk.page.click("#new-lead .dropdown-toggle")
    expect(walk.page.locator('#new-lead a[href="/pv/new/"]')).to_be_visible()
    walk.open_task(project, "audit")
    expect(walk.page.locator("main")).to_contain_text(CUSTOMER["description"])
    walk.fill(AUDIT_TEXT, AUDIT_CHOICES)
    walk.complete()


def line_values(walk: Walk, row: int) -> tuple[str, ...]:
    return tuple(walk.page.input_value(f"[name=lines-{row}-{column}]") for column in COLUMNS)


def fill_line(walk: Walk, row: int, values) -> None:
    for column, value in zip(COLUMNS, values, strict=True):
        walk.page.fill(f"[name=lines-{row}-{column}]", value)


def first_design(walk: Walk, project, designer) -> None:
    walk.as_user(designer)
    walk.open_task(project, "design")
    walk.fits()  # the lines table folds onto a phone
    walk.fill(COMPONENTS)
    fill_line(walk, 0, FIRST_LINES[0])
    fill_line(walk, 1, FIRST_LINES[1])
    walk.page.click("[data-add-line]")  # the table's script adds a row for the third line
    fill_line(walk, 2, FIRST_LINES[2])
    walk.complete()


def next_design(walk: Walk, project, designer, round_number: int) -> None:
    walk.as_user(designer)
    walk.open_task(project, "design")
    # The last round's lines are there to edit, amounts the Polish way.
    assert line_values(walk, 0) == ("Moduł JA Solar 440 Wp", "14", "szt.", "420,00", "610,00")
    if round_number == 2:
        walk.page.fill("[name=lines-1-unit_price]", "6 500,50")
    else:  # the customer wants it without the mounting line
        assert line_values(walk, 2)[0] == "Konstrukcja i montaż"
        walk.page.locator("[data-line]").nth(2).locator("[data-remove-line]").click()
        walk.page.fill("[name=lines-1-unit_price]", "6 400")
    walk.complete()


def customer_asks_for_changes(walk: Walk, kind: str, comment: str) -> None:
    walk.as_customer(walk.customer_link(kind))
    walk.page.fill("#comment", comment)
    walk.page.click("#changes")
    expect(walk.page.locator("#done")).to_be_visible()


def customer_accepts(walk: Walk, kind: str) -> None:
    walk.as_customer(walk.customer_link(kind))
    walk.page.click("#accept")
    expect(walk.page.locator("#done")).to_be_visible()


def manager_decides(walk: Walk, project, manager, approve: bool, comment: str = "") -> None:
    walk.as_user(manager)
    walk.open_task(project, "approve_contract")
    walk.fill({"approval_comment": comment}, {"contract_approved": "yes" if approve else "no"})
    walk.complete()


def salesperson_revises(walk: Walk, project, advance: str, expected_note: str) -> None:
    walk.as_user(project.owner)
    walk.open_task(project, "revise_contract")
    expect(walk.page.locator("main")).to_contain_text(expected_note)  # why it came back
    walk.fill({"advance_percent": advance})
    walk.complete()


def report_part(walk: Walk, project, who, element: str, text: dict, checks=()) -> None:
    walk.as_user(who)
    walk.open_task(project, element)
    walk.fill(text, checks=checks)
    early = walk.page.locator("#task-form input[name$=_confirm_early]")
    if early.count():  # the works are planned weeks ahead; this walk reports them today
        early.check()
    pad = walk.page.locator("#task-form canvas[id$=_pad]")
    if pad.count():  # the part that completes the installation: the customer signs
        expect(walk.page.locator("[data-signature-pad]")).to_have_attribute("data-ready", "true")
        pad.scroll_into_view_if_needed()
        box = pad.bounding_box()
        x, y = box["x"], box["y"] + box["height"] / 2
        walk.page.mouse.move(x + 20, y)
        walk.page.mouse.down()
        for step in range(1, 12):
            walk.page.mouse.move(
                x + 20 + step * box["width"] / 14, y + (-1) ** step * box["height"] / 4
            )
        walk.page.mouse.up()
    walk.complete()


def execution(walk: Walk, project, org, advance: str) -> None:
    paid = {"paid_on": date.today().isoformat(), "payment_reference": "PRZELEW"}
    walk.as_user(org.accountant)
    walk.open_task(project, "record_advance_payment")
    walk.fill(paid)
    walk.complete()

    walk.as_user(org.manager)
    walk.open_task(project, "plan_works")
    walk.fill(
        {"start_date": WORK_START.isoformat(), "roof_days": "1", "electrical_days": "1"},
        {
            "roof_crew": str(Crew.objects.get(name="Ekipa Dach").pk),
            "electrical_crew": str(Crew.objects.get(name="Elektro-Serwis").pk),
        },
    )
    walk.complete()

    roofer, wirer = (crew.members.get() for crew in Crew.objects.order_by("name"))
    report_part(
        walk, project, wirer, "electrical_work", {"inverter_serial": "FR-1"},
        ("dc_tests_done", "grounding_checked", "commissioned"),
    )  # fmt: skip
    report_part(
        walk, project, roofer, "roof_work", {"panel_serials": "JA1\nJA2"},
        ("roof_mounting_checked", "roof_sealed"),
    )  # fmt: skip
    if advance != "100":
        walk.as_user(org.accountant)
        walk.open_task(project, "record_final_payment")
        walk.fill(paid)
        walk.complete()


def the_designer_opens_the_papers(walk: Walk, project, designer) -> None:
    walk.as_user(designer)
    walk.page.goto(f"{walk.url}/pv/projects/{project.pk}/")
    walk.fits()
    links = walk.page.locator("#pv-site ~ .row a[href^='/documents/']")
    hrefs = [links.nth(n).get_attribute("href") for n in range(links.count())]
    assert len(hrefs) >= 3  # the offer, the contract and its DOCX at least
    for href in hrefs:
        response = walk.page.goto(walk.url + href)
        assert response.status == 200, href


@VIEWPORTS
def test_three_offer_rounds_two_contract_returns_and_a_30_percent_advance(
    org, page, live_server, login, viewport
):
    cache.clear()  # the lead form's per-address limit: each run starts afresh
    walk = Walk(page, live_server, login, viewport)
    project = send_the_web_form(walk)
    assert (project.account.street, project.account.city) == ("ul. Słoneczna 5", "Kraków")
    audit(walk, project)

    first_design(walk, project, org.designer)
    walk.as_customer(walk.customer_link("offer"))
    expect(walk.page.locator("h1")).to_contain_text("wersja 1")
    expect(walk.page.locator("body")).to_contain_text("6,16")  # 14 × 440 Wp
    expect(walk.page.locator("body")).to_contain_text("Prosty okres zwrotu")
    customer_asks_for_changes(walk, "offer", "Proszę o tańszy falownik")
    next_design(walk, project, org.designer, round_number=2)
    customer_asks_for_changes(walk, "offer", "Bez konstrukcji, mamy własną")
    next_design(walk, project, org.designer, round_number=3)
    customer_accepts(walk, "offer")
    project.refresh_from_db()
    assert project.offer.revision_number == 3 and project.offer.lines.count() == 2

    manager_decides(walk, project, org.manager, approve=False, comment="Zaliczka za wysoka?")
    salesperson_revises(walk, project, "30", "Zaliczka za wysoka?")
    manager_decides(walk, project, org.manager, approve=True)
    walk.as_customer(walk.customer_link("contract"))
    expect(walk.page.locator("body")).to_contain_text("PL61 1090 1014 0000 0712 1981 2874")
    customer_asks_for_changes(walk, "contract", "Termin montażu po 15. dniu miesiąca")
    salesperson_revises(walk, project, "30", "Termin montażu po 15. dniu miesiąca")
    manager_decides(walk, project, org.manager, approve=True)
    customer_accepts(walk, "contract")

    execution(walk, project, org, "30")
    project.refresh_from_db()
    assert Case.objects.get(pk=project.case_id).status == "completed"
    invoices = [project.advance_invoice, project.final_invoice]
    assert [invoice.kind for invoice in invoices] == [InvoiceKind.ADVANCE, InvoiceKind.FINAL]
    assert all(invoice.status == "paid" for invoice in invoices)
    assert sum(invoice.gross for invoice in invoices) == project.contract.value_gross
    won = Opportunity.objects.get(pk=project.opportunity_id)
    assert (won.stage, won.value) == ("won", project.contract.value_net)
    invoice_mails = OutboxMessage.objects.filter(subject__startswith="Faktura")
    assert invoice_mails.count() == 2 and all(m.attachments.count() == 1 for m in invoice_mails)
    the_designer_opens_the_papers(walk, project, org.designer)


@VIEWPORTS
def test_the_whole_price_in_advance_leaves_no_final_invoice(
    org, page, live_server, login, viewport
):
    cache.clear()
    walk = Walk(page, live_server, login, viewport)
    project = send_the_web_form(walk)
    audit(walk, project)
    first_design(walk, project, org.designer)
    customer_accepts(walk, "offer")
    manager_decides(walk, project, org.manager, approve=False, comment="Cała kwota z góry")
    salesperson_revises(walk, project, "100", "Cała kwota z góry")
    manager_decides(walk, project, org.manager, approve=True)
    customer_accepts(walk, "contract")

    execution(walk, project, org, "100")
    project.refresh_from_db()
    assert Case.objects.get(pk=project.case_id).status == "completed"
    assert project.advance_invoice.gross == project.contract.value_gross
    assert project.final_invoice is None
    assert not WorkItem.objects.filter(case_id=project.case_id, element_id="record_final_payment")
