"""The opinion's deadline keeps the client's requested date unless a later one is agreed."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from obieg.core import clock
from obieg.core.errors import ApplicationError
from obieg.core.models import AuditEntry
from obieg.engine import timers
from obieg.solutions.expert_opinions.models import Inquiry
from tests.solutions.expert_opinions.helpers import do, item, open_elements, prepared

REQUESTED = date(2099, 6, 30)
WARSAW = ZoneInfo("Europe/Warsaw")


def accepted(firm, requested=REQUESTED):
    inquiry = prepared(firm, price="1000.00", requested_deadline=requested)
    do(inquiry, "head_approval", firm.head, head_decision="approve")
    do(inquiry, "record_answer", firm.sara, client_answer="accepted")
    return Inquiry.objects.get(pk=inquiry.pk)


def test_a_deadline_after_the_clients_date_is_refused_without_an_agreed_reason(firm):
    inquiry = accepted(firm)
    later = (REQUESTED + timedelta(days=1)).isoformat()

    with pytest.raises(ApplicationError) as refusal:
        do(inquiry, "commission_expert", firm.head, opinion_due=later)
    assert "The client asked for the opinion by" in refusal.value.field_errors["opinion_due"][0]
    with pytest.raises(ApplicationError) as refusal:
        do(inquiry, "commission_expert", firm.head, opinion_due=later, later_than_requested="on")
    assert "later_reason" in refusal.value.field_errors
    assert open_elements(inquiry) == ["commission_expert"]
    assert Inquiry.objects.get(pk=inquiry.pk).opinion_due is None

    reason = "Mec. Nowak zgodził się telefonicznie 2.03 na termin o dzień późniejszy"
    do(
        inquiry,
        "commission_expert",
        firm.head,
        opinion_due=later,
        later_than_requested="on",
        later_reason=reason,
    )
    inquiry.refresh_from_db()
    assert (inquiry.opinion_due, inquiry.late_deadline_reason) == (date(2099, 7, 1), reason)
    # Recorded: who agreed to it and when, in the inquiry's audit trail.
    entry = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Inquiry),
        object_id=inquiry.pk,
        action="update",
        changes__has_key="late_deadline_reason",
    ).get()
    assert (entry.actor, entry.changes["late_deadline_reason"]) == (firm.head, ["", reason])


def test_the_clients_date_or_an_earlier_one_needs_no_reason(firm):
    inquiry = accepted(firm)
    do(inquiry, "commission_expert", firm.head, opinion_due=REQUESTED.isoformat())
    inquiry.refresh_from_db()
    assert (inquiry.opinion_due, inquiry.late_deadline_reason) == (REQUESTED, "")


def test_an_inquiry_without_a_requested_date_takes_any_deadline(firm):
    inquiry = accepted(firm, requested=None)
    do(inquiry, "commission_expert", firm.head, opinion_due="2099-12-31")
    assert Inquiry.objects.get(pk=inquiry.pk).opinion_due == date(2099, 12, 31)


def test_an_extension_past_the_clients_date_needs_its_own_reason(firm):
    inquiry = accepted(firm)
    do(inquiry, "commission_expert", firm.head, opinion_due="2099-06-01")
    with clock.frozen(datetime(2099, 6, 2, 0, 0, 1, tzinfo=WARSAW), all_threads=True):
        timers.fire_due_timers()
        assert open_elements(inquiry) == ["extend_deadline"]
        agreed = {"commission_note": "Biegły prosi o więcej czasu"}
        with pytest.raises(ApplicationError) as refusal:
            do(inquiry, "extend_deadline", firm.head, opinion_due="2099-07-10", **agreed)
        assert "opinion_due" in refusal.value.field_errors
        do(
            inquiry,
            "extend_deadline",
            firm.head,
            opinion_due="2099-07-10",
            later_than_requested="on",
            later_reason="Sąd przedłużył termin postanowieniem",
            **agreed,
        )
    inquiry.refresh_from_db()
    assert inquiry.opinion_due == date(2099, 7, 10)
    assert inquiry.late_deadline_reason == "Sąd przedłużył termin postanowieniem"


def test_the_pages_offer_the_agreement_beside_the_date(client, firm):
    inquiry = accepted(firm)
    client.force_login(firm.head)
    commission = item(inquiry, "commission_expert")
    html = client.get(reverse("engine:task", args=[commission.pk])).content.decode()
    assert 'name="later_than_requested"' in html and 'name="later_reason"' in html
    assert 'value="2099-06-30"' in html  # the client's date is proposed

    prefix = f"t{commission.pk}-"
    url = reverse("expert_opinions:inquiry_task", args=[inquiry.pk, commission.pk])
    response = client.post(url, {prefix + "opinion_due": "2099-07-15", "revision": 0})
    assert "The client asked for the opinion by" in response.content.decode()
    assert open_elements(inquiry) == ["commission_expert"]
    response = client.post(
        url,
        {
            prefix + "opinion_due": "2099-07-15",
            prefix + "later_than_requested": "on",
            prefix + "later_reason": "Klient zgodził się pismem z 3.03",
            "revision": 0,
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("expert_opinions:inquiry_detail", args=[inquiry.pk]))
    assert "Klient zgodził się pismem z 3.03" in page.content.decode()
