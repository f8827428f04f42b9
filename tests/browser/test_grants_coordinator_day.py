"""A grant coordinator's day in a real browser, on a desktop and on a phone.

Two projects: one in realisation whose first payment claim is overdue, one in
its durability period with a late report and a measurement due. The
coordinator starts from their home page, goes to the deadlines (overdue
first, charts drawn, the calendar feed offered), files the claim's expense,
draws its documents and submits it, then enters the indicator's value and
sees it flagged below target. No script or style is refused by the CSP.
"""

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from obieg.billing.models import CompanyProfile
from obieg.core import clock
from obieg.solutions.grants import claims, durability
from obieg.solutions.grants.models import GrantProject, PaymentClaim
from obieg.solutions.grants.scan import scan
from tests.conftest import PASSWORD, Org
from tests.solutions.grants.helpers import make_institution, make_project

VIEWPORTS = {"desktop": {"width": 1366, "height": 850}, "phone": {"width": 390, "height": 844}}
TODAY = datetime(2026, 8, 12, 9, tzinfo=ZoneInfo("Europe/Warsaw"))


def institution_with_two_projects():
    inst = make_institution(Org())
    inst.manager.email = "maria@iob.example"
    inst.manager.save()
    CompanyProfile.objects.create(
        name="Fundacja Wspierania Przedsiębiorczości",
        nip="5260250274",
        street="ul. Rynek 1",
        postal_code="31-042",
        city="Kraków",
        bank_account="PL61109010140000071219812874",
    )
    realising = make_project(inst, realisation=(date(2026, 1, 1), date(2027, 6, 30)))
    claims.plan_claims(
        actor=inst.coordinator,
        project=realising,
        advance_amount=Decimal(0),
        interim_months=6,
        days_to_file=30,
    )
    durable = make_project(
        inst,
        status=GrantProject.Status.REALISATION,
        realisation=(date(2024, 1, 1), date(2025, 3, 31)),
    )
    durable.application.agreement_signed_on = date(2023, 12, 1)
    durable.application.save()
    durability.indicator_add(
        actor=inst.coordinator,
        project=durable,
        data={"name": "Nowe miejsca pracy", "kind": "result", "unit": "etaty", "target": "4",
              "higher_is_better": True},
    )  # fmt: skip
    durability.start(actor=inst.coordinator, project=durable, final_payment_on=date(2025, 6, 2))
    return inst, realising, durable


def log_in(browser, base, viewport, user):
    context = browser.new_context(viewport=viewport, locale="en-GB")
    page = context.new_page()
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text)
        if "Content Security Policy" in message.text
        else None,
    )
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/**")
    return context, page, refused


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_coordinators_day(transactional_db, live_server, settings, tmp_path, browser, viewport):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PUBLIC_URL = live_server.url
    base = live_server.url
    with clock.frozen(TODAY, all_threads=True):
        inst, realising, durable = institution_with_two_projects()
        scan()  # the morning's scan: the late claim and report are escalated
        context, page, refused = log_in(browser, base, VIEWPORTS[viewport], inst.coordinator)

        # Home: the coordinator's deadlines, overdue ones counted.
        panel = page.locator("#home-grant-deadlines")
        expect(panel).to_contain_text("overdue")
        panel.get_by_role("link", name="All deadlines").click()

        # The deadlines: overdue first (the oldest: the measurement due at the anniversary).
        page.wait_for_url(re.compile(r"/grants/deadlines/$"))
        expect(page.locator("#overdue-count")).to_contain_text("Overdue: 3")
        rows = page.locator("#deadline-rows > li")
        expect(rows.first).to_contain_text("2026-06-02")
        expect(rows.first).to_contain_text("escalated")
        expect(page.locator("#deadline-feed-url")).to_have_value(
            re.compile(r"/grants/feed/.+\.ics$")
        )
        for chart in ("#chart-months", "#chart-indicators"):
            page.locator(chart).scroll_into_view_if_needed()
            assert page.locator(chart).evaluate("canvas => canvas.width > 0")
        assert fits_the_screen(page)

        # The overdue claim: one expense, its documents, submitted.
        claim = PaymentClaim.objects.get(project=realising, number=1)
        page.goto(f"{base}/grants/{realising.pk}/")
        expect(page.locator("body")).to_contain_text(realising.number)
        page.locator(f"a[href='/grants/claims/{claim.pk}/']").first.click()
        form = page.locator("#expense-add")
        form.locator("[name=document_number]").fill("FV/2026/0042")
        form.locator("[name=supplier]").fill("Maszyny Pol Sp. z o.o.")
        form.locator("[name=description]").fill("Piec tunelowy")
        form.locator("[name=issued_on]").fill("2026-03-10")
        form.locator("[name=paid_on]").fill("2026-03-20")
        form.locator("[name=net]").fill("10000.00")
        form.locator("[name=gross]").fill("12300.00")
        form.locator("[name=eligible]").fill("10000.00")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        expect(page.locator("#claim-expenses")).to_contain_text("FV/2026/0042")
        # 10,000 eligible x 70 % co-financing.
        expect(page.locator("#claim-amount")).to_contain_text(re.compile(r"7\s?000[,.]00"))
        page.get_by_role("button", name="Generate PDF and DOCX").click()
        page.wait_for_load_state()
        expect(page.locator("#claim-documents")).to_contain_text("Claim (PDF)")
        page.get_by_role("button", name="Mark as submitted").click()
        page.wait_for_load_state()
        expect(page.locator("#claim-facts")).to_contain_text("submitted")
        assert fits_the_screen(page)

        # The indicator's value: below its target, and flagged so.
        page.goto(f"{base}/grants/{durable.pk}/indicators/")
        entry = page.locator("form:has(input[name=action][value=measure])").first
        entry.locator("[name=value]").fill("2")
        entry.locator("button").click()
        page.wait_for_load_state()
        page.goto(f"{base}/grants/deadlines/")
        expect(page.locator("#below-target")).to_contain_text("Nowe miejsca pracy")
        expect(page.locator("#overdue-count")).to_contain_text("Overdue: 1")
        assert refused == []
        context.close()
