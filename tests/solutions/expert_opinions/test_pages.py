"""The solution's pages: meetings to inquiries, the inquiry page's steps, the expert register."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from obieg.core.errors import ApplicationError
from obieg.crm.models import Activity
from obieg.solutions.expert_opinions import services
from obieg.solutions.expert_opinions.models import Expert, Inquiry
from tests.documents import samples
from tests.solutions.expert_opinions.helpers import (
    do,
    item,
    meeting,
    new_inquiry,
    offer_data,
    open_elements,
    prepared,
    to_department,
)


def detail(inquiry):
    return reverse("expert_opinions:inquiry_detail", args=[inquiry.pk])


def step_url(inquiry, element_id):
    return reverse("expert_opinions:inquiry_task", args=[inquiry.pk, item(inquiry, element_id).pk])


def test_a_salesperson_turns_a_meeting_into_an_inquiry_from_the_meetings_page(client, firm):
    planned = meeting(firm, "Spotkanie z mecenasem")
    client.force_login(firm.sara)
    listing = client.get(reverse("expert_opinions:meeting_list")).content.decode()
    assert f'id="meeting-{planned.pk}"' in listing

    url = reverse("expert_opinions:inquiry_from_meeting", args=[planned.pk])
    assert "Spotkanie z mecenasem" in client.get(url).content.decode()  # the subject, prefilled
    response = client.post(
        url,
        {
            "subject": "Opinia o przyczynach wypadku drogowego",
            "court": "Sąd Rejonowy w Tarnowie",
            "case_reference": "II K 77/26",
            "requested_deadline": "2099-06-30",
        },
    )
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302 and response.url == detail(inquiry)
    page = client.get(detail(inquiry)).content.decode()
    assert "II K 77/26" in page and "suggested: Road accidents" in page
    assert (
        f'id="meeting-{planned.pk}"'
        not in client.get(reverse("expert_opinions:meeting_list")).content.decode()
    )


def test_the_meetings_page_offers_only_what_each_meeting_allows(client, firm):
    went_well = meeting(firm, "Spotkanie udane")
    unrecorded = meeting(firm, "Spotkanie bez wyniku", outcome="")
    ahead = meeting(firm, "Spotkanie jutro", held=False)
    went_badly = meeting(firm, "Spotkanie nieudane", outcome=Activity.Outcome.NEGATIVE)
    client.force_login(firm.sara)
    listing = reverse("expert_opinions:meeting_list")
    rows = _rows(client.get(listing).content.decode())

    make = reverse("expert_opinions:inquiry_from_meeting", args=[went_well.pk])
    assert make in rows[went_well.pk]
    assert 'data-action="went-well"' in rows[unrecorded.pk]
    assert "inquiry/" not in rows[unrecorded.pk]
    assert "Not held yet" in rows[ahead.pk] and "<form" not in rows[ahead.pk]
    assert went_badly.pk not in rows

    # Tomorrow's meeting: no form, a clear refusal, and nothing is made of it.
    url = reverse("expert_opinions:inquiry_from_meeting", args=[ahead.pk])
    for response in (client.get(url), client.post(url, {"subject": "Opinia"})):
        assert response.status_code == 400
        assert "has not taken place yet" in response.content.decode()
    response = client.post(
        reverse("expert_opinions:meeting_outcome", args=[ahead.pk]), {"outcome": "positive"}
    )
    assert response.status_code == 400
    url = reverse("expert_opinions:inquiry_from_meeting", args=[unrecorded.pk])
    assert "Only a meeting that went well" in client.get(url).content.decode()
    assert not Inquiry.objects.exists()

    # The held meeting is recorded as positive; then it may become an inquiry.
    response = client.post(
        reverse("expert_opinions:meeting_outcome", args=[unrecorded.pk]), {"outcome": "positive"}
    )
    assert response.status_code == 302
    rows = _rows(client.get(listing).content.decode())
    assert (
        reverse("expert_opinions:inquiry_from_meeting", args=[unrecorded.pk]) in rows[unrecorded.pk]
    )
    assert client.get(url).status_code == 200


def _rows(html: str) -> dict[int, str]:
    return {
        int(pk): row for pk, row in re.findall(r'<tr id="meeting-(\d+)">(.*?)</tr>', html, re.S)
    }


def test_a_past_deadline_is_shown_beside_the_field(client, firm):
    planned = meeting(firm)
    client.force_login(firm.sara)
    url = reverse("expert_opinions:inquiry_from_meeting", args=[planned.pk])
    page = client.post(url, {"subject": "Opinia", "requested_deadline": "2000-01-01"})
    assert "cannot be in the past" in page.content.decode()
    assert not Inquiry.objects.exists()


def test_the_secretariat_assigns_on_the_inquiry_page_with_the_suggestion_preselected(client, firm):
    inquiry = new_inquiry(firm, "Rekonstrukcja wypadku drogowego")
    client.force_login(firm.secretariat_user)
    page = client.get(detail(inquiry)).content.decode()
    assert f'<option value="{firm.road.pk}" selected>' in page

    item_pk = item(inquiry, "assign_department").pk
    response = client.post(
        step_url(inquiry, "assign_department"),
        {f"t{item_pk}-department": firm.road.pk, "revision": 0},
    )
    assert response.status_code == 302
    assert Inquiry.objects.get(pk=inquiry.pk).department == firm.road
    assert item(inquiry, "prepare_offer").assignee == firm.roman


def test_the_department_sees_only_candidate_experts_and_gets_field_errors(client, firm):
    busy = Expert.objects.create(
        name="Zajęty Biegły", hourly_rate=90, available_from=date(2099, 1, 1)
    )
    busy.departments.add(firm.construction)
    inquiry = new_inquiry(firm, requested_deadline=date(2098, 12, 1))
    to_department(firm, inquiry)
    client.force_login(firm.head)
    page = client.get(detail(inquiry)).content.decode()
    assert "Budowniczy" in page and "Rzeczoznawca" in page
    assert "Rekonstruktor" not in page  # road accidents only
    assert "Zajęty" not in page  # busy until after the deadline

    item_pk = item(inquiry, "prepare_offer").pk
    prefix = f"t{item_pk}-"
    response = client.post(
        step_url(inquiry, "prepare_offer"),
        {
            prefix + "scope": "Oględziny",
            prefix + "experts": [firm.engineer.pk, firm.surveyor.pk],
            prefix + "hours": "",
            prefix + "price": "0",
            prefix + "vat_rate": "23",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The cost is missing" in html and "The price must be above zero" in html
    assert open_elements(inquiry) == ["prepare_offer"]

    response = client.post(
        step_url(inquiry, "prepare_offer"),
        {
            prefix + "scope": "Oględziny",
            prefix + "experts": [firm.engineer.pk, firm.surveyor.pk],
            prefix + "hours": "2",
            prefix + "price": "1000",
            prefix + "vat_rate": "23",
        },
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.offer.total_cost == 500  # (150 + 100) × 2 h
    assert open_elements(inquiry) == ["head_approval"]


def test_the_opinion_is_uploaded_on_the_inquiry_page(client, firm, media_root):
    inquiry = prepared(firm, price="1000.00")
    do(inquiry, "head_approval", firm.head, head_decision="approve")
    do(inquiry, "record_answer", firm.sara, client_answer="accepted")
    do(inquiry, "commission_expert", firm.head, opinion_due="2099-01-01")
    client.force_login(firm.head)
    response = client.post(
        reverse("expert_opinions:opinion_upload", args=[inquiry.pk]),
        {"file": SimpleUploadedFile("opinia.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert response.status_code == 302
    assert open_elements(inquiry) == ["deliver_opinion"]
    assert Inquiry.objects.get(pk=inquiry.pk).opinion.versions.count() == 1


def test_the_expert_register_is_kept_by_the_secretariat_and_heads(client, firm):
    client.force_login(firm.sara)
    assert client.get(reverse("expert_opinions:expert_list")).status_code == 403  # rates are costs
    client.force_login(firm.kasia)
    assert client.get(reverse("expert_opinions:expert_list")).status_code == 200
    assert client.get(reverse("expert_opinions:expert_create")).status_code == 403

    client.force_login(firm.secretariat_user)
    response = client.post(
        reverse("expert_opinions:expert_create"),
        {
            "title": "prof.",
            "name": "Anna Lekarska",
            "email": "anna@example.com",
            "departments": [firm.construction.pk, firm.road.pk],
            "specialisations": list(firm.road.specialisations.values_list("pk", flat=True)),
            "hourly_rate": "250.00",
            "active": "on",
        },
    )
    assert response.status_code == 302
    expert = Expert.objects.get(name="Anna Lekarska")
    assert set(expert.departments.all()) == {firm.construction, firm.road}

    edit = reverse("expert_opinions:expert_edit", args=[expert.pk])
    response = client.post(
        edit,
        {
            "title": "prof.",
            "name": "Anna Lekarska",
            "departments": [firm.road.pk],
            "specialisations": list(firm.road.specialisations.values_list("pk", flat=True)),
            "hourly_rate": "-1",
            "revision": expert.revision,
        },
    )
    assert response.status_code == 200 and "is-invalid" in response.content.decode()


def test_the_engines_task_page_shows_and_takes_the_registered_forms(client, firm):
    inquiry = new_inquiry(firm)
    to_department(firm, inquiry)
    prepare = item(inquiry, "prepare_offer")
    client.force_login(firm.head)
    url = reverse("engine:task", args=[prepare.pk])
    page = client.get(url).content.decode()
    assert 'name="price"' in page and "Budowniczy" in page
    assert "Rekonstruktor" not in page  # road accidents: not this department's kind of opinion
    assert detail(inquiry) in page  # the task page links its subject, the inquiry

    response = client.post(
        url,
        {
            "revision": prepare.revision,
            "scope": "Oględziny",
            "experts": [firm.engineer.pk],
            "hours": "2",
            "price": "375",
            "vat_rate": "23",
        },
    )
    assert response.status_code == 302
    assert open_elements(inquiry) == ["head_approval"]
    assert Inquiry.objects.get(pk=inquiry.pk).offer.margin == Decimal("0.2000")


def test_an_opinion_that_is_not_a_pdf_or_docx_is_refused_and_the_task_stays_open(
    client, firm, media_root
):
    inquiry = prepared(firm, price="1000.00")
    do(inquiry, "head_approval", firm.head, head_decision="approve")
    do(inquiry, "record_answer", firm.sara, client_answer="accepted")
    do(inquiry, "commission_expert", firm.head, opinion_due="2099-01-01")
    client.force_login(firm.head)
    url = reverse("expert_opinions:opinion_upload", args=[inquiry.pk])

    for impostor in (
        samples.upload("evil.pdf", samples.EXE),
        samples.upload("opinia.docx", samples.plain_zip(), "application/zip"),
    ):
        response = client.post(url, {"file": impostor})
        assert response.status_code == 200
        assert "This file is not a PDF or DOCX document." in response.content.decode()
    assert open_elements(inquiry) == ["upload_opinion"]
    assert Inquiry.objects.get(pk=inquiry.pk).opinion is None

    response = client.post(url, {"file": samples.upload("opinia.docx", samples.docx(), "")})
    assert response.status_code == 302
    assert open_elements(inquiry) == ["deliver_opinion"]
    version = Inquiry.objects.get(pk=inquiry.pk).opinion.versions.get()
    assert version.content_type.endswith("wordprocessingml.document")


def test_the_opinion_service_refuses_a_program_whoever_calls_it(firm, media_root):
    inquiry = prepared(firm, price="1000.00")
    do(inquiry, "head_approval", firm.head, head_decision="approve")
    do(inquiry, "record_answer", firm.sara, client_answer="accepted")
    do(inquiry, "commission_expert", firm.head, opinion_due="2099-01-01")
    with pytest.raises(ApplicationError) as refusal:
        services.opinion_upload(
            actor=firm.head, inquiry=inquiry, file=samples.upload("evil.pdf", samples.EXE)
        )
    assert refusal.value.field_errors == {"file": ["This file is not a PDF or DOCX document."]}
    assert open_elements(inquiry) == ["upload_opinion"]


def test_the_secretariat_finds_the_suggested_department_preselected_on_its_task_page(client, firm):
    inquiry = new_inquiry(firm, "Rekonstrukcja wypadku drogowego")
    client.force_login(firm.secretariat_user)
    page = client.get(reverse("engine:task", args=[item(inquiry, "assign_department").pk]))
    assert f'<option value="{firm.road.pk}" selected>' in page.content.decode()


def test_an_expert_outside_the_departments_specialisations_is_refused_however_submitted(firm):
    inquiry = new_inquiry(firm)
    to_department(firm, inquiry)
    with pytest.raises(ApplicationError) as refusal:
        do(inquiry, "prepare_offer", firm.head, **offer_data(firm, experts=[firm.driver.pk]))
    assert "does not serve this department" in refusal.value.field_errors["experts"][0]
    assert open_elements(inquiry) == ["prepare_offer"]


def test_the_expert_register_shows_a_departments_kinds_of_opinion_first(client, firm):
    listing = reverse("expert_opinions:expert_list")
    client.force_login(firm.rafal)  # road accidents
    html = client.get(listing).content.decode()
    assert "Rekonstruktor" in html and "Budowniczy" not in html
    assert f'<option value="{firm.road.pk}" selected>' in html
    html = client.get(listing, {"department": firm.construction.pk}).content.decode()
    assert "Budowniczy" in html and "Rzeczoznawca" in html and "Rekonstruktor" not in html
    html = client.get(listing, {"department": "all"}).content.decode()
    assert "Budowniczy" in html and "Rekonstruktor" in html

    client.force_login(firm.secretariat_user)  # no department: everyone
    html = client.get(listing).content.decode()
    assert "Budowniczy" in html and "Rekonstruktor" in html
