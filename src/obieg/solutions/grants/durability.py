"""The durability period (okres trwałości): indicators, measurements, yearly reports.

The period rule, as Polish grant agreements count it (Civil Code art. 111 § 2
and 112): the period of N years runs *from* the final payment, the payment
day itself not counted, and ends at the end of the day that corresponds in
date to the payment day N years later — payment on 15 March 2026, five years,
ends on 15 March 2031. A payment on 29 February ends on 28 February of a year
without one (the last day of that month). Year i of the period is the day
after the (i-1)-th anniversary up to the i-th anniversary, inclusive.

Each year has one report (due `GRANTS_REPORT_DUE_DAYS` days, default 30, after
its year ends) and one measurement per indicator (due on the anniversary);
a due date falling on a weekend or a Polish public holiday moves to the next
business day. Every one of them is an `Obligation`, so the deadline scan
chases it like any other duty.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from obieg.core import audit, clock, records
from obieg.core.business_days import next_business_day
from obieg.core.calendar_dates import anniversary
from obieg.core.errors import ApplicationError
from obieg.solutions.grants import obligations, permissions
from obieg.solutions.grants.models import (
    DurabilityReport,
    GrantApplication,
    GrantProject,
    Indicator,
    Measurement,
    Obligation,
)

REPORT_DUE_DAYS = 30
# The model's numbers: 14 digits, 2 of them after the decimal point.
MAX_DIGITS, DECIMAL_PLACES = 14, 2
INDICATOR_FIELDS = ("name", "kind", "unit", "baseline", "target", "higher_is_better")


# --- dates ---------------------------------------------------------------------------------


def report_due_days() -> int:
    return int(getattr(settings, "GRANTS_REPORT_DUE_DAYS", REPORT_DUE_DAYS))


def period_end(final_payment_on: date, years: int) -> date:
    """The last day of the durability period (see the module's rule)."""
    return anniversary(final_payment_on, years)


def year_span(final_payment_on: date, year: int) -> tuple[date, date]:
    """(first day, last day) of year `year` (1-based) of the period."""
    return (
        anniversary(final_payment_on, year - 1) + timedelta(days=1),
        anniversary(final_payment_on, year),
    )


def report_due(period_to: date) -> date:
    return next_business_day(period_to + timedelta(days=report_due_days()))


def measurement_due(final_payment_on: date, year: int) -> date:
    return next_business_day(anniversary(final_payment_on, year))


# --- numbers -------------------------------------------------------------------------------


def parse_number(raw, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    """A finite decimal with at most 12 digits before and 2 after the point, else an error."""
    if isinstance(raw, Decimal):
        value = raw
    else:
        text = str(raw if raw is not None else "").strip().replace(" ", "").replace(",", ".")
        if not text:
            errors.setdefault(field, []).append(_("Enter a number."))
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            errors.setdefault(field, []).append(_("Enter a number."))
            return None
    if not value.is_finite():
        errors.setdefault(field, []).append(_("Enter a finite number."))
        return None
    if abs(value) >= Decimal(10) ** (MAX_DIGITS - DECIMAL_PLACES):
        errors.setdefault(field, []).append(_("The number is too large."))
        return None
    if value != value.quantize(Decimal("0.01")):
        errors.setdefault(field, []).append(_("Use at most 2 decimal places."))
        return None
    value = value.quantize(Decimal("0.01"))
    return value


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        message = "; ".join(" ".join(messages) for messages in errors.values())
        raise ApplicationError(message, field_errors=errors)


# --- who may work on it ----------------------------------------------------------------


def ensure_may_change(user, project: GrantProject) -> None:
    permissions.ensure_may_work_on(
        user, project, _("You may view this project but not change its durability.")
    )


# --- indicators ----------------------------------------------------------------------------


def _indicator_data(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    clean = {
        "name": str(data.get("name", "")).strip(),
        "unit": str(data.get("unit", "")).strip(),
        "kind": str(data.get("kind", "")),
        "higher_is_better": data.get("higher_is_better") in (True, "on", "true", "1", 1),
    }
    baseline_raw = data.get("baseline")
    clean["baseline"] = (
        Decimal("0.00")
        if baseline_raw in (None, "")
        else parse_number(baseline_raw, "baseline", errors)
    )
    clean["target"] = parse_number(data.get("target"), "target", errors)
    if clean["baseline"] is not None and clean["target"] is not None:
        if clean["higher_is_better"] and clean["target"] <= clean["baseline"]:
            errors.setdefault("target", []).append(
                _("The target must be above the baseline when higher is better.")
            )
        elif not clean["higher_is_better"] and clean["target"] >= clean["baseline"]:
            errors.setdefault("target", []).append(
                _("The target must be below the baseline when lower is better.")
            )
    _refuse(errors)
    return clean


def _flag(indicator: Indicator) -> None:
    """Recompute the latest value (the last recorded measurement) and the below-target flag."""
    last = (
        indicator.measurements.filter(value__isnull=False)
        .order_by("-due_date", "-id")
        .values_list("value", flat=True)
        .first()
    )
    indicator.latest_value = last
    indicator.below_target = last is not None and indicator.falls_short(last)
    Indicator.objects.filter(pk=indicator.pk).update(
        latest_value=indicator.latest_value, below_target=indicator.below_target
    )


@transaction.atomic
def indicator_add(*, actor, project: GrantProject, data: dict) -> Indicator:
    """A new indicator of the project; in the durability period its measurements are planned."""
    ensure_may_change(actor, project)
    project = GrantProject.objects.select_for_update().get(pk=project.pk)
    if project.status == GrantProject.Status.CLOSED:
        raise ApplicationError(_("The project is closed."))
    indicator = Indicator(project=project, **_indicator_data(data))
    records.full_clean(indicator)
    indicator.save()
    audit.record_create(indicator, actor=actor)
    if project.status == GrantProject.Status.DURABILITY and project.final_payment_on:
        _plan_measurements(project, indicator, from_day=clock.today())
    return indicator


@transaction.atomic
def indicator_change(*, actor, indicator: Indicator, data: dict) -> Indicator:
    """New name, unit, baseline or target; the below-target flag follows the new target."""
    ensure_may_change(actor, indicator.project)
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    before = audit.snapshot(locked)
    for name, value in _indicator_data(data).items():
        setattr(locked, name, value)
    records.full_clean(locked)
    locked.save()
    _flag(locked)
    audit.record_update(locked, actor=actor, before=before)
    return locked


@transaction.atomic
def indicator_remove(*, actor, indicator: Indicator) -> None:
    """Remove an indicator not yet measured (a measured one is the grantor's record)."""
    ensure_may_change(actor, indicator.project)
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if locked.measurements.filter(value__isnull=False).exists():
        raise ApplicationError(_("This indicator has measurements; it cannot be removed."))
    records.record_delete(locked, actor=actor)  # its planned measurements and duties go too


# --- the period ----------------------------------------------------------------------------


def _titled(project: GrantProject):
    """Duties are titled in the client's language: the measurement reminder quotes the title
    to the client (Polish by default, like the staff's e-mails)."""
    return translation.override(project.account.language or "pl")


def _plan_measurements(project: GrantProject, indicator: Indicator, *, from_day: date) -> None:
    with _titled(project):
        _plan_measurements_titled(project, indicator, from_day=from_day)


def _plan_measurements_titled(project, indicator, *, from_day: date) -> None:
    for year in range(1, project.durability_years + 1):
        due = measurement_due(project.final_payment_on, year)
        if due < from_day:
            continue
        measurement = Measurement.objects.create(indicator=indicator, due_date=due)
        obligations.plan(
            project=project,
            kind=Obligation.Kind.MEASUREMENT,
            source=measurement,
            due=due,
            title=_("Measurement of %(name)s, year %(year)s")
            % {"name": indicator.name, "year": year},
        )


def _plan_reports(project: GrantProject) -> None:
    with _titled(project):
        _plan_reports_titled(project)


def _plan_reports_titled(project: GrantProject) -> None:
    for year in range(1, project.durability_years + 1):
        period_from, period_to = year_span(project.final_payment_on, year)
        report = DurabilityReport.objects.create(
            project=project,
            number=year,
            period_from=period_from,
            period_to=period_to,
            due_date=report_due(period_to),
        )
        obligations.plan(
            project=project,
            kind=Obligation.Kind.REPORT,
            source=report,
            due=report.due_date,
            title=_("Durability report %(number)s of %(years)s")
            % {"number": year, "years": project.durability_years},
        )


@transaction.atomic
def start(*, actor, project: GrantProject, final_payment_on: date) -> None:
    """The final payment arrived: the durability period starts and its duties are planned.

    Refused (field error on `final_payment_on`) for a date in the future, before
    the grant agreement was signed, or when the period has already started.
    """
    if isinstance(final_payment_on, str):  # a process variable may carry the ISO text
        try:
            final_payment_on = date.fromisoformat(final_payment_on)
        except ValueError as error:
            message = _("Enter a valid date.")
            raise ApplicationError(message, field_errors={"final_payment_on": [message]}) from error
    project = GrantProject.objects.select_for_update().get(pk=project.pk)
    errors: list[str] = []
    if project.final_payment_on is not None or project.status in (
        GrantProject.Status.DURABILITY,
        GrantProject.Status.CLOSED,
    ):
        errors.append(_("The final payment has already been recorded."))
    elif final_payment_on > clock.today():
        errors.append(_("The final payment date cannot be in the future."))
    else:
        agreement = (
            GrantApplication.objects.filter(project=project)
            .values_list("agreement_signed_on", flat=True)
            .first()
        )
        if agreement is not None and final_payment_on < agreement:
            errors.append(_("The final payment cannot precede the grant agreement."))
    if errors:
        raise ApplicationError(errors[0], field_errors={"final_payment_on": errors})
    before = audit.snapshot(project)
    project.final_payment_on = final_payment_on
    project.durability_ends_on = period_end(final_payment_on, project.durability_years)
    project.status = GrantProject.Status.DURABILITY
    project.save(update_fields=["final_payment_on", "durability_ends_on", "status", "updated_at"])
    audit.record_update(project, actor=actor, before=before)
    _plan_reports(project)
    for indicator in project.indicators.all():
        _plan_measurements(project, indicator, from_day=final_payment_on)


def open_duties(project: GrantProject) -> list[Obligation]:
    """The project's report and measurement duties still open (after `close`, for its report)."""
    return list(
        Obligation.objects.filter(
            project=project,
            state=Obligation.State.OPEN,
            kind__in=[Obligation.Kind.REPORT, Obligation.Kind.MEASUREMENT],
        ).order_by("due_date", "id")
    )


@transaction.atomic
def close(*, project: GrantProject) -> None:
    """The period is over: the project is closed and its grant application settled.

    Duties still open are NOT cancelled: the last year's report falls due after
    the period ends, and a missed measurement is still owed to the grantor. They
    stay open on the timeline (the scan keeps chasing them) and are named in the
    audit entry of the closing, so nobody loses sight of them.
    """
    project = GrantProject.objects.select_for_update().get(pk=project.pk)
    if project.status == GrantProject.Status.CLOSED:
        return  # a timer firing twice closes once
    before = audit.snapshot(project)
    project.status = GrantProject.Status.CLOSED
    project.save(update_fields=["status", "updated_at"])
    changes = audit.diff(before, audit.snapshot(project))
    left = open_duties(project)
    if left:
        changes["open_duties"] = [None, [f"{item.title} ({item.due_date})" for item in left]]
    audit.record(project, actor=None, action="update", changes=changes)
    GrantApplication.objects.filter(project=project).update(status=GrantApplication.Status.SETTLED)


# --- measurements --------------------------------------------------------------------------


@transaction.atomic
def record_measurement(
    *,
    measurement: Measurement,
    value,
    measured_on: date | None,
    actor=None,
    by_client: bool = False,
    note: str = "",
) -> Measurement:
    """Enter an indicator's value once; a second entry (even a concurrent one) is refused.

    The indicator's latest value and below-target flag follow; the measurement's
    duty is done. Staff need the right to change the project; the client's
    signed link is its own permission (`by_client`).
    """
    indicator = Indicator.objects.select_related("project").get(pk=measurement.indicator_id)
    project = indicator.project
    if not by_client:
        ensure_may_change(actor, project)
    errors: dict[str, list[str]] = {}
    number = parse_number(value, "value", errors)
    today = clock.today()
    if measured_on is None:
        errors.setdefault("measured_on", []).append(_("Enter the date of the measurement."))
    elif measured_on > today:
        errors.setdefault("measured_on", []).append(_("The date cannot be in the future."))
    elif project.final_payment_on and measured_on < project.final_payment_on:
        errors.setdefault("measured_on", []).append(_("The date cannot precede the final payment."))
    if len(note) > 300:
        errors.setdefault("note", []).append(_("At most 300 characters."))
    _refuse(errors)
    # Whoever writes first wins; the other sees nothing changed and is told so.
    changed = Measurement.objects.filter(pk=measurement.pk, value__isnull=True).update(
        value=number,
        measured_on=measured_on,
        entered_by=actor if getattr(actor, "pk", None) else None,
        entered_by_client=by_client,
        note=note,
    )
    if not changed:
        raise ApplicationError(
            _("This measurement has already been entered."),
            field_errors={"value": [_("This measurement has already been entered.")]},
        )
    measurement.refresh_from_db()
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    _flag(locked)
    obligations.close(measurement, kind=Obligation.Kind.MEASUREMENT, on=today)
    audit.record(
        measurement,
        actor=actor,
        action="update",
        changes={
            "value": [None, str(number)],
            "measured_on": [None, str(measured_on)],
            "entered_by_client": [None, str(by_client)],
        },
    )
    return measurement


# --- reports -------------------------------------------------------------------------------


@transaction.atomic
def report_submit(*, actor, report: DurabilityReport, submitted_on: date | None = None) -> None:
    """The report went to the grantor: it is submitted and its duty done (once)."""
    ensure_may_change(actor, report.project)
    day = submitted_on or clock.today()
    if day > clock.today():
        message = _("The date cannot be in the future.")
        raise ApplicationError(message, field_errors={"submitted_on": [message]})
    changed = DurabilityReport.objects.filter(
        pk=report.pk, status=DurabilityReport.Status.DUE
    ).update(status=DurabilityReport.Status.SUBMITTED, submitted_on=day)
    if not changed:
        raise ApplicationError(_("This report has already been submitted."))
    obligations.close(report, kind=Obligation.Kind.REPORT, on=day)
    audit.record(
        report,
        actor=actor,
        action="update",
        changes={"status": ["due", "submitted"], "submitted_on": [None, str(day)]},
    )
    report.refresh_from_db()


# --- selectors -----------------------------------------------------------------------------


def indicator_rows(project: GrantProject) -> list[dict]:
    """Each indicator with its measurements and progress towards the target (0–100 %)."""
    rows = []
    for indicator in project.indicators.prefetch_related("measurements"):
        measured = [m for m in indicator.measurements.all()]
        span = indicator.target - indicator.baseline
        progress = None
        if indicator.latest_value is not None and span:
            share = (indicator.latest_value - indicator.baseline) / span * 100
            progress = max(Decimal(0), min(Decimal(100), share)).quantize(Decimal(1))
        rows.append({"indicator": indicator, "measurements": measured, "progress": progress})
    return rows


def reports(project: GrantProject) -> list[DurabilityReport]:
    return list(project.durability_reports.all().order_by("number"))
