"""A field salesperson's day in a real browser, on a phone.

Kuba from Kraków has two visits planned for the day by the solver. He starts
from his home page, opens his day, sees the visits in order with times,
drives and map links, and the map drawn on the configured tiles; he records
the first visit won, tries to record the second lost without a reason (refused,
beside the visit), then gives the reason. No script or style is refused by the
CSP, and nothing is wider than the phone's screen.
"""

from __future__ import annotations

import re
from datetime import datetime

from playwright.sync_api import expect

from obieg.core import clock
from obieg.crm.models import Opportunity
from obieg.solutions.pv_salesforce import field_schedule, meetings
from obieg.solutions.pv_salesforce.models_field import Meeting
from tests.browser.test_grants_coordinator_day import fits_the_screen, log_in
from tests.conftest import Org
from tests.solutions.pv_salesforce.field_helpers import (
    DAY,
    NOW,
    WARSAW,
    at,
    customer,
    field_salesperson,
)

PHONE = {"width": 390, "height": 844}
MORNING = datetime.combine(DAY, datetime.min.time().replace(hour=7, minute=30), tzinfo=WARSAW)


def kubas_day():
    org = Org()
    kuba = field_salesperson("kuba", "31-000", team=org.sales_team).user
    with clock.frozen(NOW):
        for name, code, start, end in (
            ("Nowak", "31-042", at(9), at(11)),
            ("Wójcik", "32-020", at(13), at(15)),
        ):
            meetings.book_meeting(
                actor=org.manager,
                opportunity=customer(name, code, owner=kuba),
                window_start=start,
                window_end=end,
                address=f"ul. {name}a 1",
            )
        field_schedule.build_field_schedules(day=DAY, actor=org.manager)
    return kuba


def test_a_field_salespersons_day_on_a_phone(transactional_db, live_server, settings, browser):
    base = live_server.url
    # Tiles from the test server itself (they do not exist): the map is drawn, no network.
    settings.MAP_TILE_URL = f"{base}/no-tiles/{{z}}/{{x}}/{{y}}.png"
    with clock.frozen(MORNING, all_threads=True):
        kuba = kubas_day()
        context, page, refused = log_in(browser, base, PHONE, kuba)

        panel = page.locator("#home-field-day")
        expect(panel).to_contain_text("Nowak")
        panel.get_by_role("link", name="My field day").click()
        page.wait_for_url(re.compile(r"/salesforce/field/"))

        visits = page.locator("#visits > li")
        expect(visits).to_have_count(2)
        expect(visits.nth(0)).to_contain_text("Nowak")
        expect(visits.nth(1)).to_contain_text("Wójcik")
        expect(visits.nth(0).locator(".visit-time")).to_contain_text(re.compile(r"^\d\d:\d\d–"))
        expect(visits.nth(0)).to_contain_text("min drive")
        expect(visits.nth(0).locator("a.visit-address")).to_have_attribute(
            "href", re.compile(r"^geo:")
        )
        expect(page.locator("#field-map.leaflet-container")).to_be_visible()
        expect(page.locator("#field-map .leaflet-marker-icon")).to_have_count(2)
        assert fits_the_screen(page)

        visits.nth(0).get_by_role("button", name="Won").click()
        page.wait_for_load_state()
        expect(page.locator("#visits > li").nth(0).locator(".visit-outcome")).to_have_text("won")

        second = page.locator("#visits > li").nth(1)
        second.get_by_role("button", name="Lost").click()
        page.wait_for_load_state()
        second = page.locator("#visits > li").nth(1)
        expect(second.locator(".visit-errors")).to_contain_text("Give the reason for the loss.")
        second.get_by_placeholder("Reason for loss").fill("Chose a competitor")
        second.get_by_role("button", name="Lost").click()
        page.wait_for_load_state()
        expect(page.locator("#visits > li").nth(1).locator(".visit-outcome")).to_have_text("lost")
        assert fits_the_screen(page)
        assert refused == []
        context.close()

    stages = sorted(Opportunity.objects.values_list("stage", flat=True))
    assert stages == ["lost", "won"]
    assert set(Meeting.objects.values_list("status", flat=True)) == {Meeting.Status.DONE}
