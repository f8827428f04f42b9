"""The opinions firm in a real browser: from a positive meeting to an offer the board approved.

The salesperson turns the meeting into an inquiry on the solution's page;
the secretariat, the head and the board work from the engine's inbox and
task pages; the department prepares the offer on the inquiry page, where
the experts are narrowed to its specialisations.
"""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from obieg.solutions.expert_opinions.models import BoardReview, Inquiry
from tests.solutions.expert_opinions.helpers import deploy_solution, make_firm, meeting

DONE = "#task-form button[data-action=complete]"


def open_from_inbox(page, live_server, element_id):
    """Open the task `element_id` from the inbox, claiming it first when it waits in a queue."""
    page.goto(f"{live_server.url}/work/")
    row = page.locator(f"tr[data-element={element_id}]")
    expect(row).to_have_count(1)
    claim = row.locator("button[data-action=claim]")
    if claim.count():
        claim.click()
    else:
        row.locator("a").first.click()
    expect(page.locator("#task-name")).to_have_attribute("data-element", element_id)


def test_a_positive_meeting_becomes_an_offer_the_board_approves(
    transactional_db, org, login, live_server, settings, tmp_path, context
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    deploy_solution()
    firm = make_firm(org)
    planned = meeting(firm, "Spotkanie w sprawie pęknięć")

    # The salesperson: the meeting went well, it becomes an inquiry.
    page = login(firm.sara)
    page.goto(f"{live_server.url}/opinions/meetings/")
    page.locator(f"#meeting-{planned.pk} a.btn").click()
    page.fill("#id_subject", "Opinia budowlana o pęknięciach ścian")
    page.fill("#id_court", "Sąd Okręgowy w Krakowie")
    page.fill("#id_case_reference", "I C 512/26")
    deadline = timezone.localdate() + timedelta(days=40)
    page.fill("#id_requested_deadline", deadline.isoformat())
    page.click("#create-inquiry")
    page.wait_for_url(re.compile(r"/opinions/\d+/$"))
    expect(page.locator("#inquiry-status")).to_contain_text("Awaiting assignment")
    expect(page.locator("#inquiry-department")).to_contain_text("suggested: Construction")
    inquiry = Inquiry.objects.get()
    context.clear_cookies()

    # The secretariat takes the inquiry from its queue and assigns the department.
    page = login(firm.secretariat_user)
    open_from_inbox(page, live_server, "assign_department")
    page.select_option("#id_department", str(firm.construction.pk))
    page.click(DONE)
    page.wait_for_url(f"{live_server.url}/work/**")
    context.clear_cookies()

    # The head of the department prepares a low-margin offer on the inquiry page.
    page = login(firm.head)
    page.goto(f"{live_server.url}/opinions/{inquiry.pk}/")
    step = page.locator("#step-prepare_offer")
    expect(step).to_contain_text("Budowniczy")
    expect(step).not_to_contain_text("Rekonstruktor")  # road accidents only
    step.locator("textarea[name$=scope]").fill("Oględziny budynku i analiza projektu")
    step.get_by_label("inż. Jan Budowniczy").check()
    step.locator("input[name$=hours]").fill("2")
    step.locator("input[name$=price]").fill("0")
    step.locator("button[type=submit]").click()
    expect(page.locator("#step-prepare_offer")).to_contain_text("The price must be above zero")
    step = page.locator("#step-prepare_offer")
    step.locator("input[name$=price]").fill("375")  # 300 zł cost: a 20 % margin
    step.locator("button[type=submit]").click()
    expect(page.locator("#offer-margin")).to_have_text("20,00%")
    expect(page.locator("#inquiry-status")).to_contain_text("Offer in approval")

    # ... and approves it from the inbox: the margin is below 30 %, so it goes to the board.
    open_from_inbox(page, live_server, "head_approval")
    page.get_by_label("Approve").check()
    page.click(DONE)
    page.wait_for_url(f"{live_server.url}/work/**")
    context.clear_cookies()

    # The board approves; the offer goes to the client and the board page shows it.
    page = login(firm.board)
    open_from_inbox(page, live_server, "board_approval")
    page.get_by_label("Approve").check()
    page.click(DONE)
    page.wait_for_url(f"{live_server.url}/work/**")
    page.goto(f"{live_server.url}/opinions/board/")
    review = BoardReview.objects.get()
    row = page.locator(f"#review-{review.pk}")
    expect(row).to_contain_text(inquiry.number)
    expect(row).to_contain_text("20,00%")
    expect(row).to_contain_text("30,00%")
    expect(row).to_contain_text("Approved")

    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.OFFER_SENT
    assert inquiry.offer_document is not None
