"""What feeds the queue and what follows a visit: conversions enter, not-at-home returns,
a win hands the sale to the PV installation, ageing rules move items each morning."""

from __future__ import annotations

from datetime import timedelta

import pytest

from obieg.core import clock
from obieg.crm import opportunity_hooks
from obieg.crm import services as crm
from obieg.crm.models import Lead, Opportunity
from obieg.engine import deploy
from obieg.engine.models import ACTIVE_CASE_STATUSES, Case, WorkItem
from obieg.solutions.pv_installation.models import PVProject
from obieg.solutions.pv_salesforce import field_schedule, meetings, queue, rules, visit_outcomes
from obieg.solutions.pv_salesforce.models_field import Meeting
from obieg.solutions.pv_salesforce.models_queue import LastOutcome, QueueItem, QueueKind
from tests.solutions.pv_salesforce.field_helpers import DAY, at, customer, field_salesperson
from tests.solutions.pv_salesforce.field_helpers import NOW as FIELD_NOW
from tests.solutions.pv_salesforce.helpers import MONDAY, make_opportunity, morning

pytestmark = pytest.mark.django_db


def new_lead(org, source: str, **extra) -> Lead:
    return crm.lead_create(
        actor=org.manager,
        data={
            "source": source,
            "contact_name": "Anna Nowak",
            "phone": "+48 600 100 200",
            "postal_code": "31-042",
            "city": "Kraków",
            **extra,
        },
    )


# --- entering the queue ------------------------------------------------------------------------


def test_a_converted_web_lead_enters_the_queue_scored_by_the_rules(org, team):
    rules.rule_add(actor=org.manager, data={"name": "Małopolska", "voivodeship": "malopolskie",
                                            "points": "30"})  # fmt: skip
    lead = new_lead(org, Lead.Source.WEB_FORM)

    with morning():
        opportunity = crm.lead_convert(actor=org.manager, lead=lead, value=40000)

    item = QueueItem.objects.get(opportunity=opportunity)
    assert (item.queue, item.status, item.score) == (QueueKind.PHONE, "waiting", 30)
    assert (item.source, item.postal_code, item.voivodeship) == (
        "web_form",
        "31-042",
        "malopolskie",
    )
    assert [reason["name"] for reason in item.reasons] == ["Małopolska"]


def test_a_salespersons_own_lead_stays_theirs(org, team):
    lead = new_lead(org, Lead.Source.SALESPERSON)

    opportunity = crm.lead_convert(actor=org.manager, lead=lead)

    assert not QueueItem.objects.filter(opportunity=opportunity).exists()


def test_the_sources_are_a_setting(org, team, settings):
    settings.SALESFORCE_QUEUE_SOURCES = ["salesperson"]
    web = crm.lead_convert(actor=org.manager, lead=new_lead(org, Lead.Source.WEB_FORM))
    own = crm.lead_convert(actor=org.manager, lead=new_lead(org, Lead.Source.SALESPERSON))

    assert list(QueueItem.objects.values_list("opportunity", flat=True)) == [own.pk]
    assert web.pk != own.pk


def test_a_lead_converted_for_a_solutions_own_work_is_not_queued(org, team):
    lead = new_lead(org, Lead.Source.WEB_FORM)

    opportunity = crm.lead_convert(actor=org.manager, lead=lead, carried_on_by="pv_installation")

    assert not QueueItem.objects.filter(opportunity=opportunity).exists()


def test_a_failing_entry_rolls_the_conversion_back(org, team, monkeypatch):
    lead = new_lead(org, Lead.Source.WEB_FORM)

    def broken(**_kwargs):
        raise RuntimeError("the queue is broken")

    monkeypatch.setattr(queue, "enqueue_opportunity", broken)
    with pytest.raises(RuntimeError):
        crm.lead_convert(actor=org.manager, lead=lead)

    lead.refresh_from_db()
    assert lead.status != Lead.Status.CONVERTED
    assert not Opportunity.objects.exists()


# --- the morning's ageing ----------------------------------------------------------------------


def test_an_item_that_outgrew_a_fresh_lead_rule_loses_its_points_next_morning(org, team):
    rules.rule_add(actor=org.manager, data={"name": "Świeży", "max_age_days": "3",
                                            "points": "50"})  # fmt: skip
    with morning(MONDAY - timedelta(days=4)):
        old = queue.enqueue_opportunity(actor=org.manager, opportunity=make_opportunity(team))
    with morning(MONDAY - timedelta(days=1)):
        young = queue.enqueue_opportunity(actor=org.manager, opportunity=make_opportunity(team))
    assert (old.score, young.score) == (50, 50)

    with morning(MONDAY):
        report = queue.rescore_aged(MONDAY)

    old.refresh_from_db()
    young.refresh_from_db()
    assert (old.score, young.score) == (0, 50)
    assert old.reasons == []
    assert report.changed == 1


def test_the_morning_build_ages_the_queue_before_taking_the_best(org, team):
    rules.rule_add(actor=org.manager, data={"name": "Świeży", "max_age_days": "1",
                                            "points": "50"})  # fmt: skip
    with morning(MONDAY - timedelta(days=5)):
        stale = queue.enqueue_opportunity(actor=org.manager, opportunity=make_opportunity(team))
    with morning():
        from obieg.solutions.pv_salesforce import call_schedule

        call_schedule.build_call_schedules_task.call(MONDAY.isoformat())
    stale.refresh_from_db()
    assert stale.score == 0


# --- after a visit -----------------------------------------------------------------------------


@pytest.fixture
def kuba(org):
    return field_salesperson("kuba", "31-000", team=org.sales_team).user


def planned_visit(org, kuba, *, queued=True) -> Meeting:
    with clock.frozen(FIELD_NOW):
        opportunity = customer("Nowak", "31-042", owner=org.manager)
        if queued:
            queue.enqueue_opportunity(actor=org.manager, opportunity=opportunity)
            QueueItem.objects.filter(opportunity=opportunity).update(
                status=QueueItem.Status.DONE, last_outcome=LastOutcome.MEETING
            )
        meeting = meetings.book_meeting(
            actor=org.manager, opportunity=opportunity, window_start=at(9), window_end=at(11)
        )
        field_schedule.build_field_schedules(day=DAY, actor=org.manager)
    meeting.refresh_from_db()
    assert meeting.salesperson == kuba
    return meeting


def record(kuba, meeting, outcome, reason=""):
    with clock.frozen(at(12)):
        return visit_outcomes.record_outcome(
            actor=kuba, meeting=meeting, outcome=outcome, reason=reason, revision=meeting.revision
        )


def test_not_at_home_sends_the_customer_back_to_the_queue(org, kuba):
    rules.rule_add(actor=org.manager, data={"name": "Nie zastany", "previous_outcome":
                                            "not_at_home", "points": "25"})  # fmt: skip
    meeting = planned_visit(org, kuba)

    record(kuba, meeting, "not_at_home")

    item = QueueItem.objects.get(opportunity=meeting.opportunity)
    assert (item.status, item.last_outcome, item.assigned_to) == ("waiting", "not_at_home", None)
    assert item.score == 25  # the rule for customers not found at home
    assert Opportunity.objects.get(pk=meeting.opportunity_id).is_open


def test_a_met_customer_is_done_and_a_lost_one_closed(org, kuba):
    met = planned_visit(org, kuba)
    record(kuba, met, "met")
    assert QueueItem.objects.get(opportunity=met.opportunity).status == "done"

    record(kuba, Meeting.objects.get(pk=met.pk), "lost", "Za drogo")  # recorded again as lost
    item = QueueItem.objects.get(opportunity=met.opportunity)
    assert item.status == "closed"
    assert Opportunity.objects.get(pk=met.opportunity_id).stage == Opportunity.Stage.LOST


def test_a_won_visit_starts_the_pv_installation_case(org, kuba):
    deploy.deploy_all()
    meeting = planned_visit(org, kuba)

    result = record(kuba, meeting, "won")

    project = PVProject.objects.get(opportunity=meeting.opportunity)
    assert result.handed_over == project and result.handover_error == ""
    assert project.owner == org.manager  # the opportunity's owner carries the sale on
    assert project.case.status in ACTIVE_CASE_STATUSES
    assert WorkItem.objects.filter(case=project.case, element_id="audit").exists()
    assert project.site_address.startswith("Nowak street 1")
    assert QueueItem.objects.get(opportunity=meeting.opportunity).status == "closed"


def test_the_sale_is_handed_over_once(org, kuba):
    deploy.deploy_all()
    meeting = planned_visit(org, kuba)
    record(kuba, meeting, "won")
    again = Meeting.objects.get(pk=meeting.pk)

    second = record(kuba, again, "won")  # already won: nothing follows twice

    assert second.handed_over is None
    assert PVProject.objects.filter(opportunity=meeting.opportunity).count() == 1
    assert Case.objects.count() == 1


def test_a_handover_nobody_registered_leaves_the_sale_won_and_says_so(org, kuba, settings):
    settings.SALESFORCE_WON_HANDOVER = "no_such_work"
    meeting = planned_visit(org, kuba)

    result = record(kuba, meeting, "won")

    assert result.handed_over is None and result.handover_error
    assert Opportunity.objects.get(pk=meeting.opportunity_id).stage == Opportunity.Stage.WON
    assert "no_such_work" not in opportunity_hooks.handover_names()
    assert not PVProject.objects.exists()


def test_the_handover_can_be_switched_off(org, kuba, settings):
    settings.SALESFORCE_WON_HANDOVER = ""
    meeting = planned_visit(org, kuba, queued=False)

    result = record(kuba, meeting, "won")

    assert (result.handed_over, result.handover_error) == (None, "")
    assert not PVProject.objects.exists()
