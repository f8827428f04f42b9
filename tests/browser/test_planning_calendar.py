"""A planner drags a crew's job to another day and another crew on the planning board."""

from __future__ import annotations

from playwright.sync_api import expect

from obieg.core import roles
from obieg.scheduling import crews, events
from obieg.scheduling.models import CalendarEvent
from tests.conftest import make_user
from tests.scheduling.conftest import at


def board(org):
    roof = crews.crew_create(actor=org.manager, data={"name": "Ekipa Dach", "colour": "#aa3300"})
    electric = crews.crew_create(actor=org.manager, data={"name": "Elektro-Serwis"})
    job = events.event_create(
        actor=org.manager,
        crew=roof,
        title="Montaż Kowalski",
        start=at(2026, 12, 21, 8),
        end=at(2026, 12, 21, 16),
    )
    return roof, electric, job


def centre(locator):
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def open_board(page, live_server):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{live_server.url}/scheduling/?date=2026-12-21")
    expect(page.locator(".ec-event", has_text="Montaż Kowalski")).to_be_visible()


def test_a_job_dragged_to_another_day_and_crew_is_saved(transactional_db, org, login, live_server):
    roof, electric, job = board(org)
    page = login(org.manager)
    open_board(page, live_server)
    # Christmas Eve is shaded as a public holiday.
    expect(page.locator(".ec-col-head.ec-highlight")).to_have_count(4)

    card = page.locator(".ec-event", has_text="Montaż Kowalski")
    target_x, _y = centre(page.locator(".ec-col-head", has_text="22").first)
    _x, target_y = centre(page.locator(".ec-sidebar .ec-row-head", has_text="Elektro-Serwis"))
    start_x, start_y = centre(card)
    with page.expect_response(lambda response: "/move/" in response.url) as answer:
        page.mouse.move(start_x, start_y)
        page.mouse.down()
        page.mouse.move(start_x + 10, start_y + 5, steps=3)
        page.mouse.move(target_x, target_y, steps=12)
        page.mouse.up()
    assert answer.value.status == 200, answer.value.text()

    expect(page.locator("#planning-message")).to_have_class("alert alert-success")
    job.refresh_from_db()
    assert job.crew == electric
    assert (job.start, job.end) == (at(2026, 12, 22, 8), at(2026, 12, 22, 16))  # hours kept
    assert job.revision == 2
    page.reload()
    expect(page.locator(".ec-event", has_text="Montaż Kowalski")).to_be_visible()


def test_an_installer_sees_the_board_but_cannot_drag(transactional_db, org, login, live_server):
    roof, _electric, job = board(org)
    installer = make_user("igor", roles.INSTALLER)
    roof.members.add(installer)
    page = login(installer)
    open_board(page, live_server)
    card = page.locator(".ec-event", has_text="Montaż Kowalski")
    x, y = centre(card)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 200, y, steps=10)
    page.mouse.up()
    page.wait_for_timeout(300)
    assert CalendarEvent.objects.get().start == at(2026, 12, 21, 8)
    expect(page.locator("#planning-message")).to_be_hidden()
