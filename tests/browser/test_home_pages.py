"""Each role's home page in the browser, on a desktop and a phone: that role's panels, readable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from obieg.core import roles
from obieg.crm.models import Activity
from tests.web.home_fixtures import activity, at, invoice, schedule_item, task

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


def _home(login, page, user, viewport):
    page.set_viewport_size(viewport)
    login(user)
    page.goto(page.url.split("/login")[0].rstrip("/") + "/")
    return page


def _fits(page) -> None:
    """Nothing makes the page scroll sideways (a phone would show half a table)."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@VIEWPORTS
def test_the_salespersons_day(org, login, live_server, page, viewport):
    activity(org.sara, occurs_at=at(-1), subject="Oddzwonić do Łukasza")
    activity(org.sara, occurs_at=at(0, 23), subject="Spotkanie w Łodzi", kind=Activity.Kind.MEETING)
    task("Prepare the audit", owner=org.sara, assignee=org.sara, due_at=timezone.now())

    _home(login, page, org.sara, viewport)

    day = page.locator("#home-my-day")
    expect(day).to_contain_text("Oddzwonić do Łukasza")
    expect(day.locator(".overdue")).to_have_count(1)
    expect(page.locator("#home-my-meetings")).to_contain_text("Spotkanie w Łodzi")
    expect(page.locator("#home-my-work")).to_contain_text("Prepare the audit")
    _fits(page)


@VIEWPORTS
def test_the_accountants_invoices(org, login, live_server, page, viewport):
    today = timezone.localdate()
    schedule_item(org.sara, due_date=today)
    late = invoice(org.sara, due_date=today - timedelta(days=10))

    _home(login, page, org.accountant, viewport)

    expect(page.locator("#home-to-issue")).to_contain_text("1 due now")
    expect(page.locator("#home-overdue")).to_contain_text(late.number)
    page.locator("#home-overdue").get_by_role("link", name=late.number).click()
    expect(page).to_have_url(f"{live_server.url}/billing/invoices/{late.pk}/")


@VIEWPORTS
def test_the_managers_team_load_chart(org, login, live_server, page, viewport):
    task("Send the offer", owner=org.sara, assignee=org.sara)
    activity(org.tomasz, occurs_at=at(1))

    _home(login, page, org.manager, viewport)

    load = page.locator("#home-team-load")
    expect(load.locator("#team-load-table")).to_contain_text("Sara")
    expect(load.locator("#team-load-table")).to_contain_text("Tomasz")
    # Chart.js, served locally, drew on the canvas.
    page.wait_for_function("() => window.Chart && Chart.getChart('team-load-chart')")
    assert page.locator("#team-load-chart").evaluate("canvas => canvas.width > 0")
    _fits(page)


@VIEWPORTS
def test_the_boards_waiting_decisions(org, login, live_server, page, viewport):
    task("Approve the discount", owner=org.manager, candidate_group=roles.BOARD)

    _home(login, page, org.board, viewport)

    expect(page.locator("#home-my-work")).to_contain_text("Approve the discount")
    expect(page.locator("#home-board")).to_be_visible()
    _fits(page)


@VIEWPORTS
def test_the_administrators_health(org, login, live_server, page, viewport):
    task("Nobody's step", owner=org.sara)

    _home(login, page, org.admin, viewport)

    expect(page.locator("#home-unassigned")).to_contain_text("1")
    page.locator("#home-unassigned").click()
    expect(page).to_have_url(f"{live_server.url}/work/unassigned/")
