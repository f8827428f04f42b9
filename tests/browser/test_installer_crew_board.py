"""The planning board: a drag onto a holiday or a booked day snaps back with why; phones fit."""

from __future__ import annotations

from playwright.sync_api import expect

from obieg.core import roles
from obieg.scheduling import crews, events
from obieg.scheduling.models import CalendarEvent
from tests.conftest import make_user
from tests.scheduling.conftest import at

BUSY_OR_OFF = "This crew is busy or off on those days."
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}


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


def open_board(page, live_server, viewport):
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/scheduling/?date=2026-12-21")
    expect(page.locator(".ec-event", has_text="Montaż Kowalski")).to_be_visible()
    return page.locator(".ec-event", has_text="Montaż Kowalski")


def drag_to(page, card, day: str, crew: str):
    """Drag the card onto the day column headed `day` in the row of `crew`; the server's answer."""
    target_x, _y = centre(page.locator(".ec-col-head", has_text=day).first)
    _x, target_y = centre(page.locator(".ec-sidebar .ec-row-head", has_text=crew))
    start_x, start_y = centre(card)
    with page.expect_response(lambda response: "/move/" in response.url) as answer:
        page.mouse.move(start_x, start_y)
        page.mouse.down()
        page.mouse.move(start_x + 10, start_y + 5, steps=3)
        page.mouse.move(target_x, target_y, steps=12)
        page.mouse.up()
    return answer.value


def test_a_job_dragged_onto_christmas_eve_snaps_back_with_the_reason(
    transactional_db, org, login, live_server
):
    _roof, _electric, job = board(org)
    page = login(org.manager)
    card = open_board(page, live_server, DESKTOP)
    before = card.bounding_box()

    answer = drag_to(page, card, "24", "Ekipa Dach")

    assert answer.status == 400
    message = page.locator("#planning-message")
    expect(message).to_have_class("alert alert-danger")
    expect(message).to_have_text(BUSY_OR_OFF)
    # The card is back on Monday, and the server kept the plan.
    page.wait_for_function(
        "x => Math.abs(document.querySelector('.ec-event').getBoundingClientRect().x - x) < 2",
        arg=before["x"],
    )
    job.refresh_from_db()
    assert (job.start, job.revision) == (at(2026, 12, 21, 8), 1)


def test_a_job_dragged_onto_another_crews_booked_day_snaps_back(
    transactional_db, org, login, live_server
):
    _roof, electric, job = board(org)
    events.event_create(
        actor=org.manager,
        crew=electric,
        title="Serwis",
        start=at(2026, 12, 22, 9),
        end=at(2026, 12, 22, 11),
    )
    page = login(org.manager)
    card = open_board(page, live_server, DESKTOP)

    answer = drag_to(page, card, "22", "Elektro-Serwis")

    assert answer.status == 400
    expect(page.locator("#planning-message")).to_have_text(BUSY_OR_OFF)
    job.refresh_from_db()
    assert job.crew.name == "Ekipa Dach" and job.start == at(2026, 12, 21, 8)
    # A free day of its own crew is still a fine place for it.
    card = page.locator(".ec-event", has_text="Montaż Kowalski")
    assert drag_to(page, card, "23", "Ekipa Dach").status == 200
    expect(page.locator("#planning-message")).to_have_class("alert alert-success")
    assert CalendarEvent.objects.get(pk=job.pk).start == at(2026, 12, 23, 8)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_board_fits_a_phone_a_week_at_a_time(transactional_db, org, login, live_server):
    board(org)
    page = login(org.manager)
    open_board(page, live_server, PHONE)
    expect(page.locator("#planning-calendar")).to_have_attribute("data-layout", "phone")
    assert fits(page)
    heads = page.locator(".ec-header .ec-col-head")
    expect(heads).to_have_count(7)
    # The whole week is on the screen, Sunday included, without scrolling sideways.
    sunday = heads.nth(6).bounding_box()
    assert sunday["x"] + sunday["width"] <= PHONE["width"]
    expect(page.locator(".ec-sidebar .ec-row-head", has_text="Elektro-Serwis")).to_be_visible()
    # Christmas Eve and the two days of Christmas are shaded there too.
    expect(page.locator(".ec-col-head.ec-highlight")).to_have_count(3)
    for button in page.locator(".ec-toolbar button").all():
        box = button.bounding_box()
        assert box["x"] + box["width"] <= PHONE["width"]

    # Turned sideways to a wide screen, the board becomes the two-week one.
    page.set_viewport_size(DESKTOP)
    expect(page.locator("#planning-calendar")).to_have_attribute("data-layout", "wide")
    expect(heads).to_have_count(14)


def test_an_installer_on_a_phone_sees_the_board_without_dragging(
    transactional_db, org, login, live_server
):
    roof, _electric, _job = board(org)
    installer = make_user("igor", roles.INSTALLER)
    roof.members.add(installer)
    page = login(installer)
    card = open_board(page, live_server, PHONE)
    assert fits(page)
    expect(card).to_contain_text("Montaż Kowalski")  # the name, not the hour, on a narrow day
    expect(page.locator(".ec-sidebar .ec-row-head", has_text="Elektro-Serwis")).to_have_count(0)
