"""The expert opinion as its people live it, in a real browser, on a desktop and on a phone.

From a meeting that went well to the delivered opinion and its invoice, at
three margins: exactly the 30 % minimum and 58 % (the head's approval is
enough) and 29.9998 % (the board decides). Each person works from what their
own pages show them: the salesperson's meetings, the secretariat's home
queue, the inquiry page, the engine's inbox and task page, the board's home,
the client's answer page behind the link in the e-mail.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from obieg.billing.models import CompanyProfile
from obieg.mail.models import OutboxMessage
from obieg.solutions.expert_opinions.models import BoardReview, Inquiry
from tests.conftest import PASSWORD
from tests.documents import samples
from tests.solutions.expert_opinions.helpers import deploy_solution, make_firm, meeting

# Many pages per walk and nothing in them that depends on the database: CI walks them once,
# on SQLite (the services underneath are tested on both databases).

VIEWPORTS = {"desktop": {"width": 1366, "height": 850}, "phone": {"width": 390, "height": 844}}
# The engineer's 14 hours cost 2,100 zł; the price sets the margin.
MARGINS = {
    "minimum": ("3000.00", "30,00%", False),
    "hair_below": ("2999.99", "29,9998%", True),
    "comfortable": ("5000.00", "58,00%", False),
}


class Person:
    """One person's browser tab: logs in through the real form."""

    def __init__(self, browser, base_url, viewport):
        self.browser, self.base, self.viewport = browser, base_url, viewport
        self.context = None

    def as_(self, user):
        if self.context is not None:
            self.context.close()
        self.context = self.browser.new_context(viewport=self.viewport, locale="en-GB")
        page = self.context.new_page()
        page.goto(f"{self.base}/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.base}/**")
        return page

    def anonymous(self):
        if self.context is not None:
            self.context.close()
        self.context = self.browser.new_context(viewport=self.viewport, locale="en-GB")
        return self.context.new_page()


def done(step):
    """Submit the step's form on the inquiry page and wait for the page to come back."""
    step.locator("button[type=submit]").click()
    step.page.wait_for_load_state()


def task_from_inbox(page, base, element_id):
    page.goto(f"{base}/work/")
    row = page.locator(f"[data-element={element_id}]").first
    expect(row).to_be_visible()
    claim = row.locator("button[data-action=claim]")
    if claim.count():
        claim.click()
    else:
        row.locator("a").first.click()
    expect(page.locator("#task-name")).to_have_attribute("data-element", element_id)


@pytest.mark.parametrize("margin", MARGINS)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_from_a_meeting_to_the_delivered_and_invoiced_opinion(
    transactional_db, live_server, settings, tmp_path, browser, viewport, margin
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PUBLIC_URL = live_server.url
    base = live_server.url
    deploy_solution()
    from tests.conftest import Org

    firm = make_firm(Org())
    CompanyProfile.objects.create(
        name="Biuro Ekspertyz Sp. z o.o.",
        nip="5260250274",
        street="ul. Sądowa 5",
        postal_code="31-100",
        city="Kraków",
        bank_account="PL61109010140000071219812874",
        place_of_issue="Kraków",
    )
    price, shown, to_board = MARGINS[margin]
    held = meeting(firm, "Spotkanie w sprawie pęknięć", outcome="")
    person = Person(browser, base, VIEWPORTS[viewport])

    # The salesperson records that the meeting went well, then makes it an inquiry.
    page = person.as_(firm.sara)
    page.goto(f"{base}/opinions/meetings/")
    row = page.locator(f"#meeting-{held.pk}")
    expect(row.locator("[data-action=make-inquiry]")).to_have_count(0)
    row.locator("[data-action=went-well]").click()
    page.locator(f"#meeting-{held.pk} [data-action=make-inquiry]").click()
    page.fill("#id_subject", "Opinia budowlana o pęknięciach ścian")
    page.fill("#id_court", "Sąd Okręgowy w Krakowie")
    page.fill("#id_case_reference", "I C 512/26")
    requested = timezone.localdate() + timedelta(days=40)
    page.fill("#id_requested_deadline", requested.isoformat())
    page.click("#create-inquiry")
    page.wait_for_url(re.compile(r"/opinions/\d+/$"))
    expect(page.locator("#inquiry-status")).to_contain_text("Awaiting assignment")
    inquiry = Inquiry.objects.get()

    # The secretariat finds it on its home page; the suggested department is preselected.
    page = person.as_(firm.secretariat_user)
    page.locator(f"#home-inquiry-{inquiry.pk} a").click()
    step = page.locator("#step-assign_department")
    expect(step.locator("select")).to_have_value(str(firm.construction.pk))
    done(step)
    expect(page.locator("#inquiry-department")).to_contain_text("Construction")

    # The head prepares the offer on the inquiry page: only the department's experts.
    page = person.as_(firm.head)
    page.goto(f"{base}/opinions/{inquiry.pk}/")
    step = page.locator("#step-prepare_offer")
    expect(step).to_contain_text("Budowniczy")
    expect(step).not_to_contain_text("Rekonstruktor")
    step.locator("textarea[name$=scope]").fill("Oględziny budynku i analiza projektu")
    step.get_by_label("inż. Jan Budowniczy").check()
    step.locator("input[name$=hours]").fill("14")
    step.locator("input[name$=price]").fill(price)
    done(step)
    expect(page.locator("#offer-margin")).to_have_text(shown)

    # ... and approves it on the task page, where the margin stands beside the minimum.
    task_from_inbox(page, base, "head_approval")
    expect(page.locator("#case-subject")).to_contain_text(f"{shown} (minimum 30,00%)")
    page.get_by_label("Approve").check()
    page.click("#task-form button[data-action=complete]")
    page.wait_for_url(f"{base}/work/**")

    if to_board:
        page = person.as_(firm.board)
        review = BoardReview.objects.get()
        expect(page.locator(f"#home-review-{review.pk}")).to_contain_text(shown)
        task_from_inbox(page, base, "board_approval")
        expect(page.locator("#case-subject")).to_contain_text(f"{shown} (minimum 30,00%)")
        page.get_by_label("Approve").check()
        page.click("#task-form button[data-action=complete]")
        page.wait_for_url(f"{base}/work/**")
        page.goto(f"{base}/opinions/board/")
        expect(page.locator(f"#review-{review.pk}")).to_contain_text("Approved")
    else:
        assert not BoardReview.objects.exists()

    # The client opens the link from the e-mail, reads the scope and the PDF, and accepts.
    mail = OutboxMessage.objects.get(to=firm.client.email)
    link = re.search(r"https?://\S+/opinions/answer/\S+/", mail.body).group(0)
    page = person.anonymous()
    page.goto(link)
    expect(page.locator("#answer-scope")).to_contain_text("Oględziny budynku")
    pdf = page.request.get(base + page.locator("#answer-pdf").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF-")
    page.locator("input[value=accepted]").check()
    page.locator("button[type=submit]").click()
    expect(page.locator("#answer-thanks")).to_be_visible()

    # The head commissions the expert by the client's date, files the opinion, delivers it.
    page = person.as_(firm.head)
    page.goto(f"{base}/opinions/{inquiry.pk}/")
    step = page.locator("#step-commission_expert")
    expect(step.locator("input[name$=opinion_due]")).to_have_value(requested.isoformat())
    done(step)
    step = page.locator("#step-upload_opinion")
    step.locator("input[type=file]").set_input_files(
        {"name": "opinia.pdf", "mimeType": "application/pdf", "buffer": samples.pdf()}
    )
    done(step)
    done(page.locator("#step-deliver_opinion"))
    expect(page.locator("#inquiry-status")).to_contain_text("Delivered")
    expect(page.locator("#no-steps")).to_be_visible()
    inquiry.refresh_from_db()
    assert inquiry.invoice_number
    expect(page.locator("#inquiry-facts")).to_contain_text(inquiry.invoice_number)
    if viewport == "phone":  # nothing sticks out sideways on a phone
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= VIEWPORTS["phone"]["width"]
    person.context.close()
