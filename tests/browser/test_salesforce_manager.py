"""The sales manager's view in a real browser, on a desktop and on a phone.

Monday morning: six customers planned for Paula, one call already made, Piotr
free. The manager opens the view from the menu: the queue sizes, the day's
fill, the outcomes and the funnel are drawn as charts with their tables;
she rebalances the day and sees the five calls still to make split three and
two, then moves one of Piotr's back to Paula on the calls page. No script or style is refused by
the CSP, and nothing is wider than the screen.
"""

import re

import pytest
from playwright.sync_api import expect

from obieg.core import clock
from obieg.solutions.pv_salesforce import outcomes
from obieg.solutions.pv_salesforce.call_schedule import build_call_schedules
from obieg.solutions.pv_salesforce.models_queue import CallSlot
from tests.browser.test_grants_coordinator_day import VIEWPORTS, fits_the_screen, log_in
from tests.conftest import Org
from tests.solutions.pv_salesforce.helpers import MONDAY, at, enqueue, make_team


def monday():
    team = make_team(Org())
    with clock.frozen(at(MONDAY, 7)):
        for n in range(6):
            enqueue(team, name=f"Klient {n}")
        build_call_schedules(day=MONDAY, sellers=[team.paula])
    first = CallSlot.objects.filter(salesperson=team.paula).order_by("planned_at").first()
    with clock.frozen(at(MONDAY, 8, 2)):
        outcomes.record_outcome(
            actor=team.paula, slot=first, outcome="no_answer", revision=first.item.revision
        )
    return team


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_managers_view(transactional_db, live_server, browser, viewport):
    base = live_server.url
    with clock.frozen(at(MONDAY, 8, 3), all_threads=True):
        team = monday()
        context, page, refused = log_in(browser, base, VIEWPORTS[viewport], team.manager)

        page.goto(f"{base}/salesforce/manager/")
        expect(page.locator("h1")).to_have_text("Sales team")
        expect(page.locator("#queue-size-table")).to_contain_text("telephone queue")
        expect(page.locator("#phone-fill-" + str(team.paula.pk))).to_contain_text("Paula")
        expect(page.locator("#phone-outcomes")).to_contain_text("Paula")
        expect(page.locator("#funnel-called")).to_contain_text("1")
        for chart in (
            "#chart-queues",
            "#chart-breakdown",
            "#chart-phone-fill",
            "#chart-phone-outcomes",
            "#chart-funnel",
        ):
            page.locator(chart).scroll_into_view_if_needed()
            assert page.locator(chart).evaluate("canvas => canvas.width > 0"), chart
        assert fits_the_screen(page)

        # Rebalance: Paula's five calls still to make are split with Piotr (3 + 2).
        page.once("dialog", lambda dialog: dialog.accept())
        page.locator("#rebalance").click()
        page.wait_for_url(re.compile(r"/salesforce/manager/\?day="))
        expect(page.locator(".alert-success")).to_contain_text("calls moved")
        expect(page.locator(f"#phone-fill-{team.piotr.pk} td").nth(1)).to_have_text("2")
        expect(page.locator(f"#phone-fill-{team.paula.pk} td").nth(1)).to_have_text("3")

        # One of Piotr's calls goes back to Paula.
        page.locator(f"#phone-fill-{team.piotr.pk} a").click()
        page.wait_for_url(re.compile(r"/salesforce/manager/calls/"))
        rows = page.locator("#planned-calls tbody tr")
        expect(rows).to_have_count(2)
        rows.first.locator("select[name=to]").select_option(str(team.paula.pk))
        rows.first.get_by_role("button", name="Move").click()
        page.wait_for_load_state()
        expect(page.locator(".alert-success")).to_contain_text("moved to Paula")
        expect(page.locator("#planned-calls tbody tr")).to_have_count(1)
        assert fits_the_screen(page)
        assert refused == []
        context.close()
