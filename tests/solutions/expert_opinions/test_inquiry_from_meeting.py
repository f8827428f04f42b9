"""A positive meeting becomes an inquiry in one step; Obieg suggests the department."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.core.models import Department, Specialisation
from obieg.crm.models import Activity, Opportunity
from obieg.engine.models import CaseStatus
from obieg.solutions.expert_opinions import services
from obieg.solutions.expert_opinions.models import Inquiry
from obieg.solutions.expert_opinions.selectors import suggest_department
from tests.solutions.expert_opinions.helpers import (
    case_of,
    do,
    item,
    meeting,
    new_inquiry,
    open_elements,
)


def test_a_meeting_becomes_an_inquiry_with_its_opportunity_and_case(firm):
    planned = meeting(firm)
    deadline = timezone.localdate() + timedelta(days=30)
    inquiry = services.inquiry_from_meeting(
        actor=firm.sara,
        meeting=planned,
        subject="Opinia o wartości nieruchomości",
        court="Sąd Okręgowy w Krakowie",
        case_reference="I C 123/26",
        requested_deadline=deadline,
    )

    assert inquiry.number.startswith(f"ZAP/{date.today().year}/")
    assert (inquiry.account, inquiry.owner, inquiry.meeting) == (firm.client, firm.sara, planned)
    assert (inquiry.case_reference, inquiry.requested_deadline) == ("I C 123/26", deadline)
    assert inquiry.status == Inquiry.Status.NEW
    assert inquiry.opportunity.stage == Opportunity.Stage.NEEDS_ANALYSIS
    case = case_of(inquiry)
    assert (case.status, case.owner, case.subject) == (CaseStatus.RUNNING, firm.sara, inquiry)
    assert open_elements(inquiry) == ["assign_department"]
    assert item(inquiry, "assign_department").candidate_group == "secretariat"
    # "wartości nieruchomości" matches "Wycena nieruchomości", a construction specialisation.
    assert case.data["suggested_department"] == firm.construction.pk


def test_making_an_inquiry_leaves_the_meeting_as_the_salesperson_recorded_it(firm):
    planned = meeting(firm)
    before = (planned.status, planned.outcome, planned.revision)
    services.inquiry_from_meeting(actor=firm.sara, meeting=planned, subject="Opinia")
    planned.refresh_from_db()
    assert (planned.status, planned.outcome, planned.revision) == before


def test_a_meeting_still_ahead_cannot_become_an_inquiry(firm):
    tomorrow = meeting(firm, held=False)
    with pytest.raises(ApplicationError, match="has not taken place yet"):
        services.inquiry_from_meeting(actor=firm.sara, meeting=tomorrow, subject="Opinia")
    # Even marked positive in advance: the meeting has still not happened.
    Activity.objects.filter(pk=tomorrow.pk).update(
        status=Activity.Status.DONE, outcome=Activity.Outcome.POSITIVE
    )
    with pytest.raises(ApplicationError, match="has not taken place yet"):
        services.inquiry_from_meeting(actor=firm.sara, meeting=tomorrow, subject="Opinia")
    assert not Inquiry.objects.exists()
    tomorrow.refresh_from_db()
    assert tomorrow.revision == 1


@pytest.mark.parametrize(
    "outcome", ["", Activity.Outcome.NEGATIVE, Activity.Outcome.CALL_BACK], ids=str
)
def test_only_a_meeting_that_went_well_becomes_an_inquiry(firm, outcome):
    held = meeting(firm, outcome=outcome)
    with pytest.raises(ApplicationError, match="Only a meeting that went well"):
        services.inquiry_from_meeting(actor=firm.sara, meeting=held, subject="Opinia")
    assert not Inquiry.objects.exists()
    held.refresh_from_db()
    assert (held.outcome, held.revision) == (outcome, 1)


def test_the_salesperson_records_the_outcome_of_a_held_meeting_only(firm):
    held = meeting(firm, outcome="")
    services.meeting_record_outcome(
        actor=firm.sara, meeting=held, outcome=Activity.Outcome.POSITIVE
    )
    held.refresh_from_db()
    assert (held.status, held.outcome) == (Activity.Status.DONE, Activity.Outcome.POSITIVE)

    ahead = meeting(firm, held=False)
    with pytest.raises(ApplicationError, match="has not taken place yet has no outcome"):
        services.meeting_record_outcome(
            actor=firm.sara, meeting=ahead, outcome=Activity.Outcome.POSITIVE
        )
    with pytest.raises(ApplicationError) as refusal:
        services.meeting_record_outcome(actor=firm.sara, meeting=held, outcome="maybe")
    assert "outcome" in refusal.value.field_errors
    with pytest.raises(PermissionDenied):
        services.meeting_record_outcome(
            actor=firm.olga, meeting=held, outcome=Activity.Outcome.NEGATIVE
        )
    ahead.refresh_from_db()
    assert (ahead.status, ahead.outcome) == (Activity.Status.PLANNED, "")


def test_a_meeting_becomes_only_one_inquiry(firm):
    planned = meeting(firm)
    services.inquiry_from_meeting(actor=firm.sara, meeting=planned, subject="Opinia")
    with pytest.raises(ApplicationError, match="already became inquiry"):
        services.inquiry_from_meeting(actor=firm.sara, meeting=planned, subject="Opinia")
    assert Inquiry.objects.count() == 1


def test_bad_input_is_refused_and_nothing_is_created(firm):
    planned = meeting(firm)
    with pytest.raises(ApplicationError) as refusal:
        services.inquiry_from_meeting(
            actor=firm.sara,
            meeting=planned,
            subject="Opinia",
            requested_deadline=timezone.localdate() - timedelta(days=1),
        )
    assert "requested_deadline" in refusal.value.field_errors
    call = Activity.objects.create(
        account=firm.client, kind=Activity.Kind.CALL, subject="Telefon", occurs_at=timezone.now()
    )
    with pytest.raises(ApplicationError, match="Only a meeting"):
        services.inquiry_from_meeting(actor=firm.sara, meeting=call, subject="Opinia")
    with pytest.raises(PermissionDenied):
        services.inquiry_from_meeting(actor=firm.olga, meeting=planned, subject="Opinia")
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize(
    ("subject", "department"),
    [
        ("Rekonstrukcja wypadku drogowego na A4", "road_accidents"),
        ("Zawilgocenie i pęknięcia budynku – budownictwo", "construction"),
        ("Coś zupełnie innego", None),
    ],
)
def test_the_department_is_suggested_from_the_subject(firm, subject, department):
    inquiry = Inquiry(subject=subject)
    suggested = suggest_department(inquiry)
    assert (suggested.code if suggested else None) == department


def test_the_suggestion_learns_from_the_secretariats_decisions(firm):
    subject = "Oględziny instalacji gazowej"
    assert suggest_department(Inquiry(subject=subject)) is None
    earlier = new_inquiry(firm, "Szczelność instalacji gazowej w kamienicy")
    do(earlier, "assign_department", firm.secretariat_user, department=firm.construction.pk)
    assert suggest_department(Inquiry(subject=subject)) == firm.construction


def test_the_kind_of_opinion_decides_the_suggestion(firm):
    road = firm.road.specialisations.get()
    inquiry = Inquiry(subject="Wycena nieruchomości po wypadku", specialisation=road)
    assert suggest_department(inquiry) == firm.road


def test_the_secretariat_must_pick_a_department_with_a_head(firm):
    headless = Department.objects.create(name="IT", code="it")
    headless.specialisations.add(Specialisation.objects.create(code="it", name="Informatyka"))
    inquiry = new_inquiry(firm)
    with pytest.raises(ApplicationError) as refusal:
        do(inquiry, "assign_department", firm.secretariat_user, department=headless.pk)
    assert "has no head" in refusal.value.field_errors["department"][0]
    assert open_elements(inquiry) == ["assign_department"]
