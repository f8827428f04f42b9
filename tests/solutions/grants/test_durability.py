"""The durability period: its end, the yearly reports and measurements, start and close."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from obieg.core import clock
from obieg.core.errors import ApplicationError
from obieg.core.models import AuditEntry
from obieg.solutions.grants import durability
from obieg.solutions.grants.models import (
    DurabilityReport,
    GrantApplication,
    GrantProject,
    Indicator,
    Measurement,
    Obligation,
)
from tests.solutions.grants.helpers import make_project


def at(year: int, month: int, day: int):
    return clock.frozen(datetime(year, month, day, 10, tzinfo=UTC))


def jobs(project) -> Indicator:
    return Indicator.objects.create(
        project=project,
        kind=Indicator.Kind.RESULT,
        name="Nowe miejsca pracy",
        unit="etaty",
        baseline=Decimal("0.00"),
        target=Decimal("3.00"),
    )


def started(inst, paid: date, *, years: int = 5, today: date | None = None) -> GrantProject:
    project = make_project(inst)
    GrantProject.objects.filter(pk=project.pk).update(durability_years=years)
    project.refresh_from_db()
    jobs(project)
    moment = today or paid
    with at(moment.year, moment.month, moment.day):
        durability.start(actor=inst.coordinator, project=project, final_payment_on=paid)
    project.refresh_from_db()
    return project


def report_dues(project) -> list[date]:
    return list(project.durability_reports.order_by("number").values_list("due_date", flat=True))


def measurement_dues(project) -> list[date]:
    return list(
        Measurement.objects.filter(indicator__project=project)
        .order_by("due_date")
        .values_list("due_date", flat=True)
    )


def test_the_period_lasts_n_years_from_the_final_payment_and_plans_each_year(institution):
    project = started(institution, date(2026, 3, 16), years=3)

    assert project.status == GrantProject.Status.DURABILITY
    assert project.final_payment_on == date(2026, 3, 16)
    # Civil Code art. 112: ends on the day corresponding to the payment day, 3 years later.
    assert project.durability_ends_on == date(2029, 3, 16)
    spans = list(project.durability_reports.values_list("number", "period_from", "period_to"))
    assert spans == [
        (1, date(2026, 3, 17), date(2027, 3, 16)),
        (2, date(2027, 3, 17), date(2028, 3, 16)),
        (3, date(2028, 3, 17), date(2029, 3, 16)),
    ]
    # 30 days after each year ends; 15 April 2027 is a Thursday; 15 April 2028 a Saturday
    # and Monday the 17th Easter Monday, so the Tuesday.
    assert report_dues(project) == [date(2027, 4, 15), date(2028, 4, 18), date(2029, 4, 16)]
    # One measurement per indicator per year, on the anniversary (16 March 2029 is a Friday).
    assert measurement_dues(project) == [date(2027, 3, 16), date(2028, 3, 16), date(2029, 3, 16)]
    duties = Obligation.objects.filter(project=project)
    assert duties.filter(kind="report", state="open").count() == 3
    assert duties.filter(kind="measurement", state="open").count() == 3
    assert all(d.report_id or d.measurement_id for d in duties)


def test_a_final_payment_on_29_february_ends_on_28_february(institution):
    project = started(institution, date(2028, 2, 29), years=5, today=date(2028, 3, 1))

    assert project.durability_ends_on == date(2033, 2, 28)
    first, second = project.durability_reports.order_by("number")[:2]
    assert (first.period_from, first.period_to) == (date(2028, 3, 1), date(2029, 2, 28))
    assert (second.period_from, second.period_to) == (date(2029, 3, 1), date(2030, 2, 28))
    # 30 March 2029 is Good Friday, a working day in Poland; 30 March 2030 is a Saturday.
    assert report_dues(project)[:2] == [date(2029, 3, 30), date(2030, 4, 1)]
    assert measurement_dues(project)[:2] == [date(2029, 2, 28), date(2030, 2, 28)]


@pytest.mark.parametrize(
    ("paid", "report_due", "holiday"),
    [
        (date(2026, 10, 2), date(2027, 11, 2), "1 November: All Saints' Day (a Monday)"),
        (date(2026, 10, 12), date(2027, 11, 12), "11 November: Independence Day"),
        (date(2026, 11, 24), date(2027, 12, 27), "24 December, then 25-26 over a weekend"),
        (date(2026, 12, 7), date(2028, 1, 7), "6 January: Epiphany, across the year end"),
    ],
)
def test_a_report_due_on_a_holiday_moves_to_the_next_business_day(
    institution, paid, report_due, holiday
):
    project = started(institution, paid, years=3)

    assert report_dues(project)[0] == report_due, holiday


def test_a_measurement_due_on_christmas_eve_moves_past_christmas(institution):
    project = started(institution, date(2026, 12, 24), years=3, today=date(2026, 12, 28))

    # 24 Dec 2027 is a Friday (a holiday since 2025), 25-26 Dec a weekend: Monday the 27th.
    assert measurement_dues(project)[0] == date(2027, 12, 27)
    assert report_dues(project)[0] == date(2028, 1, 24)


def test_the_report_delay_is_configurable(institution, settings):
    settings.GRANTS_REPORT_DUE_DAYS = 60

    project = started(institution, date(2026, 3, 16), years=3)

    # 16 March 2027 + 60 days = 15 May 2027, a Saturday.
    assert report_dues(project)[0] == date(2027, 5, 17)


def test_reminder_and_escalation_days_count_polish_business_days(institution):
    project = started(institution, date(2026, 10, 12), years=3)

    duty = Obligation.objects.get(report__project=project, report__number=1)
    # Due Friday 12 Nov 2027: 15 business days before skips 1 and 11 November.
    assert duty.due_date == date(2027, 11, 12)
    assert duty.remind_on == date(2027, 10, 20)
    assert duty.escalate_on == date(2027, 11, 8)


@pytest.mark.parametrize(
    ("paid", "today", "message"),
    [
        (date(2026, 6, 2), date(2026, 6, 1), "future"),
        (date(2026, 4, 30), date(2026, 6, 1), "grant agreement"),
    ],
)
def test_a_final_payment_in_the_future_or_before_the_agreement_is_refused(
    institution, paid, today, message
):
    project = make_project(institution)
    GrantApplication.objects.filter(project=project).update(agreement_signed_on=date(2026, 5, 4))

    with at(today.year, today.month, today.day), pytest.raises(ApplicationError) as refused:
        durability.start(actor=institution.coordinator, project=project, final_payment_on=paid)

    assert message in " ".join(refused.value.field_errors["final_payment_on"])
    project.refresh_from_db()
    assert project.final_payment_on is None and project.status == "realisation"
    assert not DurabilityReport.objects.filter(project=project).exists()


def test_a_second_final_payment_is_refused_and_plans_nothing_more(institution):
    project = started(institution, date(2026, 3, 16), years=3)

    with at(2026, 4, 1), pytest.raises(ApplicationError) as refused:
        durability.start(
            actor=institution.coordinator, project=project, final_payment_on=date(2026, 4, 1)
        )

    assert "already" in refused.value.field_errors["final_payment_on"][0]
    project.refresh_from_db()
    assert project.final_payment_on == date(2026, 3, 16)
    assert project.durability_reports.count() == 3
    assert Obligation.objects.filter(project=project).count() == 6


def test_closing_settles_the_grant_and_names_the_duties_still_open(institution):
    project = started(institution, date(2026, 3, 16), years=3)
    Obligation.objects.filter(project=project, due_date__lt=date(2029, 3, 1)).update(
        state="done", done_on=date(2029, 1, 1)
    )

    with at(2029, 3, 16):
        durability.close(project=project)
        durability.close(project=project)  # the timer fired twice: nothing more happens

    project.refresh_from_db()
    assert project.status == GrantProject.Status.CLOSED
    assert project.application.status == GrantApplication.Status.SETTLED
    # The last report is due after the period: it stays open and is chased, not dropped.
    still_open = Obligation.objects.filter(project=project, state="open")
    assert sorted(still_open.values_list("kind", flat=True)) == ["measurement", "report"]
    entries = AuditEntry.objects.filter(object_id=project.pk, changes__has_key="open_duties")
    assert entries.count() == 1
    assert len(entries.get().changes["open_duties"][1]) == 2


def test_an_indicator_added_during_the_period_gets_its_remaining_measurements(institution):
    project = started(institution, date(2026, 3, 16), years=3)

    with at(2027, 6, 1):
        later = durability.indicator_add(
            actor=institution.coordinator,
            project=project,
            data={"name": "CO₂", "kind": "result", "unit": "t", "baseline": "10", "target": "5"},
        )

    dues = list(later.measurements.values_list("due_date", flat=True))
    assert dues == [date(2028, 3, 16), date(2029, 3, 16)]
    assert Obligation.objects.filter(measurement__indicator=later).count() == 2


def test_the_process_may_pass_the_date_as_iso_text(institution):
    project = make_project(institution)

    with at(2026, 3, 20):
        durability.start(actor=None, project=project, final_payment_on="2026-03-16")
        with pytest.raises(ApplicationError) as refused:
            durability.start(actor=None, project=make_project(institution), final_payment_on="x")

    project.refresh_from_db()
    assert project.durability_ends_on == date(2031, 3, 16)
    assert "final_payment_on" in refused.value.field_errors
