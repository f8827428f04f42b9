"""A sales manager reads the reports in a real browser, on a desktop and on a phone.

She opens the reports from the menu, sees her team's pipeline drawn as a chart
with its table, switches to won and lost, narrows the period to June, sees the
chart and the table redrawn (htmx, the address updated), and exports the CSV
Polish Excel reads. No script or style is refused by the CSP; nothing is wider
than the screen.
"""

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from obieg.core import clock
from obieg.crm.models import Opportunity
from tests.browser.test_grants_coordinator_day import VIEWPORTS, fits_the_screen, log_in
from tests.conftest import Org
from tests.factories import OpportunityFactory

WARSAW = ZoneInfo("Europe/Warsaw")
TODAY = datetime(2026, 7, 10, 9, tzinfo=WARSAW)
Stage = Opportunity.Stage


def team_with_deals():
    org = Org()
    OpportunityFactory(
        owner=org.sara,
        stage=Stage.PROPOSAL,
        value=Decimal("150000.50"),
        probability=50,
        expected_close=date(2026, 8, 1),
    )
    OpportunityFactory(
        owner=org.tomasz,
        stage=Stage.LOST,
        value=Decimal("20000"),
        lost_reason="Wybrał inną ofertę",
        closed_at=datetime(2026, 6, 3, 12, tzinfo=WARSAW),
    )
    OpportunityFactory(
        owner=org.tomasz,
        stage=Stage.WON,
        value=Decimal("30000"),
        closed_at=datetime(2026, 5, 20, 12, tzinfo=WARSAW),
    )
    return org


def drawn(page, selector) -> bool:
    page.locator(selector).scroll_into_view_if_needed()
    return page.locator(selector).evaluate(
        "canvas => canvas.width > 0 && window.Chart.getChart(canvas) !== undefined"
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_manager_reads_and_exports_the_reports(transactional_db, live_server, browser, viewport):
    base = live_server.url
    with clock.frozen(TODAY, all_threads=True):
        org = team_with_deals()
        context, page, refused = log_in(browser, base, VIEWPORTS[viewport], org.manager)
        assert page.locator("a[href='/reports/']").count() >= 1  # in the menu

        page.goto(f"{base}/reports/")
        expect(page.locator("h1")).to_have_text("Reports")
        expect(page.locator("#table-pipeline")).to_contain_text("150\u00a0000,50\u00a0zł")
        assert drawn(page, "#chart-pipeline")
        assert fits_the_screen(page)

        page.locator("#tab-won-lost").click()
        page.wait_for_url(re.compile(r"/reports/won-lost/"))
        expect(page.locator("#table-won_lost tbody tr")).to_have_count(12)

        page.fill("#id_date_from", "2026-06-01")
        page.fill("#id_date_to", "2026-06-30")
        page.locator("#filter-apply").click()
        page.wait_for_url(re.compile(r"date_from=2026-06-01"))
        expect(page.locator("#table-won_lost tbody tr")).to_have_count(1)
        expect(page.locator("#table-loss_reasons")).to_contain_text("Wybrał inną ofertę")
        expect(page.locator("#table-won_lost tbody")).to_contain_text("20\u00a0000,00\u00a0zł")
        assert drawn(page, "#chart-won_lost")
        assert drawn(page, "#chart-loss_reasons")
        assert fits_the_screen(page)

        with page.expect_download() as info:
            page.locator("#export-csv").click()
        download = info.value
        assert download.suggested_filename == "won-lost-2026-07-10.csv"
        text = open(download.path(), encoding="utf-8").read()
        assert text.startswith("\ufeff")
        assert "2026-06;0;0,00;1;20000,00;0,0" in text
        assert "Wybrał inną ofertę;1;20000,00;100,0" in text
        assert not refused, refused
        context.close()
