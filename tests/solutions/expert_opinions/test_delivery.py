"""After the client's answer: commission with a deadline, reminder, escalation, opinion, invoice."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from obieg.billing.models import Invoice
from obieg.core import clock
from obieg.crm.models import Opportunity
from obieg.documents.models import Document
from obieg.engine import timers
from obieg.engine.models import CaseStatus
from obieg.mail.models import OutboxMessage
from obieg.mail.tasks import deliver_mail
from obieg.sales.models import Offer
from obieg.solutions.expert_opinions import services
from obieg.solutions.expert_opinions.delivery import reminder_moment
from obieg.solutions.expert_opinions.models import ExpertAssignment, Inquiry
from tests.solutions.expert_opinions.helpers import case_of, do, item, open_elements, prepared

WARSAW = ZoneInfo("Europe/Warsaw")


def at(*args):
    return datetime(*args, tzinfo=WARSAW)


def offer_subject() -> str:
    """How the offer e-mail's subject starts for a Polish client (the default language)."""
    with translation.override("pl"):
        return translation.gettext("Offer for inquiry %(number)s").split("%(")[0]


def queued(subject_start: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(subject__startswith=subject_start).order_by("id"))


def accepted(firm):
    """An offer approved by the head and accepted by the client (Monday 2 March 2026)."""
    inquiry = prepared(firm, price="1000.00")
    do(inquiry, "head_approval", firm.head, head_decision="approve")
    do(inquiry, "record_answer", firm.sara, client_answer="accepted")
    return Inquiry.objects.get(pk=inquiry.pk)


def test_an_accepted_offer_is_commissioned_reminded_escalated_delivered_and_invoiced(firm, seller):
    with clock.frozen(at(2026, 3, 2, 9), all_threads=True):
        inquiry = accepted(firm)
        assert inquiry.status == Inquiry.Status.ACCEPTED
        assert inquiry.offer.status == Offer.Status.ACCEPTED
        assert Opportunity.objects.get(pk=inquiry.opportunity_id).stage == "won"
        assert open_elements(inquiry) == ["commission_expert"]
        # Whoever prepared the offer carries the inquiry on.
        assert item(inquiry, "commission_expert").assignee == firm.head

        do(inquiry, "commission_expert", firm.head, opinion_due="2026-03-13", commission_note="")
        upload = item(inquiry, "upload_opinion")
        assert upload.due_at == at(2026, 3, 13, 23, 59, 59)
        assignment = ExpertAssignment.objects.get(inquiry=inquiry)
        assert (assignment.status, assignment.deadline) == ("commissioned", date(2026, 3, 13))
        assert len(queued("Zlecenie opinii")) == 1
        # Two business days before Friday the 13th: Wednesday morning.
        assert case_of(inquiry).next_timer_at == at(2026, 3, 11, 8)

    with clock.frozen(at(2026, 3, 11, 8, 1), all_threads=True):
        timers.fire_due_timers()
    assert open_elements(inquiry) == ["upload_opinion"]  # the reminder leaves the task open
    assert len(queued("Przypomnienie")) == 1

    with clock.frozen(at(2026, 3, 14, 0, 0, 1), all_threads=True):
        timers.fire_due_timers()
        # The deadline passed: the head agrees a new one with the expert.
        assert open_elements(inquiry) == ["extend_deadline"]
        assert item(inquiry, "extend_deadline").assignee == firm.head
        do(
            inquiry,
            "extend_deadline",
            firm.head,
            opinion_due="2026-03-20",
            commission_note="Biegły prosi o tydzień",
        )
        assert item(inquiry, "upload_opinion").due_at == at(2026, 3, 20, 23, 59, 59)

        file = SimpleUploadedFile("opinia.pdf", b"%PDF-1.4 opinia", "application/pdf")
        document = services.opinion_upload(actor=firm.head, inquiry=inquiry, file=file)
        assert document.kind == Document.Kind.REPORT
        assert open_elements(inquiry) == ["deliver_opinion"]

        do(
            inquiry,
            "deliver_opinion",
            firm.head,
            delivered_on="2026-03-14",
            delivery_method="court_portal",
        )

    inquiry.refresh_from_db()
    assert case_of(inquiry).status == CaseStatus.COMPLETED
    assert (inquiry.status, inquiry.opinion, inquiry.delivered_on) == (
        Inquiry.Status.DELIVERED,
        document,
        date(2026, 3, 14),
    )
    invoice = Invoice.objects.get(buyer=firm.client)
    assert inquiry.invoice_number == invoice.number
    assert (invoice.net, invoice.gross, invoice.sale_date) == (1000, 1230, date(2026, 3, 14))
    assert inquiry.number in invoice.notes
    assert ExpertAssignment.objects.get(inquiry=inquiry).status == "delivered"


def test_the_client_rejects_and_the_case_ends_with_the_opportunity_lost(firm):
    inquiry = prepared(firm, price="1000.00")
    do(inquiry, "head_approval", firm.head, head_decision="approve")
    do(inquiry, "record_answer", firm.sara, client_answer="rejected", answer_note="Za drogo")
    inquiry.refresh_from_db()
    assert case_of(inquiry).status == CaseStatus.COMPLETED
    assert inquiry.status == Inquiry.Status.REJECTED_BY_CLIENT
    assert inquiry.offer.status == Offer.Status.REJECTED
    opportunity = Opportunity.objects.get(pk=inquiry.opportunity_id)
    assert (opportunity.stage, opportunity.lost_reason) == ("lost", "Za drogo")


def test_an_opinion_from_someone_else_cannot_be_uploaded(firm):
    inquiry = accepted(firm)
    do(inquiry, "commission_expert", firm.head, opinion_due="2099-01-01")
    file = SimpleUploadedFile("opinia.pdf", b"%PDF-1.4", "application/pdf")
    with pytest.raises(services.PermissionDenied):
        services.opinion_upload(actor=firm.rafal, inquiry=inquiry, file=file)
    assert not Document.objects.filter(kind=Document.Kind.REPORT).exists()


def deliver_all() -> None:
    for job in DBTaskResult.objects.filter(task_path__endswith="deliver_mail"):
        deliver_mail.call(*job.args_kwargs["args"])


def test_the_commission_and_the_offer_go_out_through_the_outbox(firm, smtp):
    inquiry = accepted(firm)
    (offer_mail,) = queued(offer_subject())
    assert offer_mail.to == "biuro@lex.example"
    (attachment,) = offer_mail.attachments.all()
    assert attachment.name.endswith(".pdf")
    with attachment.file.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    do(inquiry, "commission_expert", firm.head, opinion_due="2099-01-01", commission_note="Pilne")
    (commission,) = queued("Zlecenie opinii")
    assert "2099-01-01" in commission.body and "Pilne" in commission.body

    deliver_all()
    assert sorted(m["Subject"] for m in smtp.received) == sorted(
        [offer_mail.subject, commission.subject]
    )
    sent = next(m for m in smtp.received if m["Subject"] == offer_mail.subject)
    assert inquiry.number in sent["Subject"]
    (pdf_part,) = [part for part in sent.walk() if part.get_filename()]
    assert pdf_part.get_content_type() == "application/pdf"
    assert pdf_part.get_payload(decode=True).startswith(b"%PDF-")
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_a_retried_offer_e_mail_job_sends_once(firm, smtp):
    accepted(firm)
    (offer_mail,) = queued(offer_subject())

    deliver_all()
    deliver_all()  # the worker retries the job, or a second worker took it too

    assert [m["Subject"] for m in smtp.received] == [offer_mail.subject]
    offer_mail.refresh_from_db()
    assert offer_mail.status == OutboxMessage.Status.SENT


@pytest.mark.parametrize(
    ("due", "today", "reminder"),
    [
        (date(2026, 3, 13), date(2026, 3, 2), "2026-03-11T08:00"),
        (date(2026, 3, 16), date(2026, 3, 2), "2026-03-12T08:00"),  # over the weekend
        (date(2026, 3, 4), date(2026, 3, 2), "2026-03-03T08:00"),  # never today
        (date(2026, 3, 2), date(2026, 3, 2), "2026-03-02T08:00"),  # due today: this morning
    ],
)
def test_the_reminder_comes_two_business_days_before_the_deadline(due, today, reminder):
    assert reminder_moment(due, today) == reminder
