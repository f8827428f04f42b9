"""A telephone salesperson's day in a real browser, driven by the keyboard.

Four customers are planned for Paula's Monday. From her home page she opens
her calls, records a no-answer with key 1, skips ahead with n, is refused a
call-back in the past and then promises one for Tuesday, closes a customer
who is not interested, and books a field visit for the last. No script or
style is refused by the CSP.
"""

import re

from playwright.sync_api import expect

from obieg.core import clock
from obieg.crm.models import Opportunity
from obieg.solutions.pv_salesforce.call_schedule import build_call_schedules
from obieg.solutions.pv_salesforce.models_field import Meeting
from obieg.solutions.pv_salesforce.models_queue import QueueItem
from tests.conftest import PASSWORD, Org
from tests.solutions.pv_salesforce.helpers import MONDAY, TUESDAY, at, enqueue, make_team, rule


def planned_day():
    team = make_team(Org())
    rule(1, "Referral", 40, source="referral")
    items = [
        enqueue(team, name="Nowak", source="referral", phone="600 111 222"),
        enqueue(team, name="Wiśniewska", value="52000.00"),
        enqueue(team, name="Zieliński"),
        enqueue(team, name="Kamińska"),
    ]
    build_call_schedules(day=MONDAY, sellers=[team.paula])
    return team, items


def current(page):
    return page.locator("#current-call h2")


def test_the_telephone_salespersons_day(transactional_db, live_server, browser):
    base = live_server.url
    with clock.frozen(at(MONDAY, 8, 1), all_threads=True):
        team, (nowak, wisniewska, zielinski, kaminska) = planned_day()
        context = browser.new_context(viewport={"width": 1366, "height": 850}, locale="en-GB")
        page = context.new_page()
        refused = []
        page.on(
            "console",
            lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text
            else None,
        )
        page.goto(f"{base}/login/")
        page.fill("input[name=username]", team.paula.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/**")

        # Home: today's calls; start calling.
        panel = page.locator("#home-salesforce-calls")
        expect(panel).to_contain_text("still to call: 4")
        panel.get_by_role("link", name="Start calling").click()
        page.wait_for_url(re.compile(r"/salesforce/calls/$"))

        # The best first, with its phone, why it is first and the script.
        expect(current(page)).to_have_text("Nowak")
        expect(page.locator("#call-phone")).to_have_attribute("href", "tel:600111222")
        expect(page.locator("#call-reasons")).to_contain_text("Referral +40")
        expect(page.locator("#call-script")).to_contain_text("photovoltaic")

        # 1: no answer; the next call comes up.
        page.keyboard.press("1")
        expect(current(page)).to_have_text("Wiśniewska")
        # n: the next call, and round again.
        page.keyboard.press("n")
        expect(current(page)).to_have_text("Zieliński")
        page.keyboard.press("n")
        expect(current(page)).to_have_text("Kamińska")
        page.keyboard.press("n")
        expect(current(page)).to_have_text("Wiśniewska")

        # 2: a call-back; one in the past is refused beside its field.
        page.keyboard.press("2")
        expect(page.locator("#callback_at")).to_be_focused()
        page.locator("#callback_at").fill("2026-03-02T07:30")
        page.locator("#callback_at").press("Enter")
        expect(page.locator("#form-call-back .invalid-feedback")).to_contain_text(
            "The call-back must be in the future."
        )
        expect(current(page)).to_have_text("Wiśniewska")
        page.locator("#callback_at").fill("2026-03-03T11:30")
        page.locator("#callback_at").press("Enter")
        expect(current(page)).to_have_text("Zieliński")

        # 3: not interested, with the reason.
        page.keyboard.press("3")
        expect(page.locator("#reason")).to_be_focused()
        page.keyboard.type("Has a heat pump already")
        page.keyboard.press("Enter")
        expect(current(page)).to_have_text("Kamińska")

        # 4: a field visit on Wednesday morning.
        page.keyboard.press("4")
        expect(page.locator("#window_start")).to_be_focused()
        page.locator("#window_start").fill("2026-03-04T09:00")
        page.locator("#window_end").fill("2026-03-04T12:00")
        page.locator("#outcome-meeting").click()
        expect(page.locator("#day-done")).to_be_visible()
        expect(page.locator("#call-list")).to_contain_text("meeting booked")
        assert refused == []
        context.close()

    nowak.refresh_from_db()
    wisniewska.refresh_from_db()
    assert (nowak.attempts, nowak.status) == (1, QueueItem.Status.WAITING)
    assert (wisniewska.callback_at, wisniewska.assigned_to) == (at(TUESDAY, 11, 30), team.paula)
    lost = Opportunity.objects.get(pk=zielinski.opportunity_id)
    assert (lost.stage, lost.lost_reason) == ("lost", "Has a heat pump already")
    assert Meeting.objects.filter(opportunity_id=kaminska.opportunity_id).count() == 1
