"""Payment claims (wnioski o płatność): planning them, their expenses, filing and settling.

Amounts follow one rule, documented here and used by every page and document:

- a claim's totals (net, gross, eligible) are the exact sums of its expenses;
- the amount claimed by an interim or final claim is its total eligible amount
  × the co-financing rate / 100, computed exactly in Decimal and rounded
  half-up to the grosz ONCE, on the claim's total (never per expense), so the
  claim agrees with the grantor's own sum of its list;
- an advance claim has no expenses: the amount claimed is `advance_requested`;
- the advance is settled by the expenses of the later claims, so the
  cumulative amount claimed over the project is the sum of the interim and
  final claims' amounts (the advance is not added twice); it, and the advance
  alone, may not exceed the awarded grant.

Every write locks the project's row, then the claim's (always in this order),
re-reads the state and writes conditionally, so two coordinators working on
one project at once never lose each other's changes or pass the limit together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import formats, translation
from django.utils.translation import gettext as _

from obieg.core import audit, clock, records
from obieg.core.business_days import next_business_day
from obieg.core.calendar_dates import add_months
from obieg.core.errors import ApplicationError
from obieg.core.money import ZERO, fits_money_field, to_grosz
from obieg.solutions.grants import obligations, permissions
from obieg.solutions.grants.models import (
    HUNDRED,
    EligibleExpense,
    GrantApplication,
    GrantProject,
    Obligation,
    PaymentClaim,
)
from obieg.web.templatetags.sales_format import pln

EXPENSE_FIELDS = (
    "document_number",
    "supplier",
    "description",
    "category",
    "issued_on",
    "paid_on",
    "net",
    "gross",
    "eligible",
)
# Bounds that keep the date arithmetic sane (no agreement gives more).
MAX_PERIOD_MONTHS = 120
MAX_DAYS_TO_FILE = 365


# ---------------------------------------------------------------- selectors


@dataclass(frozen=True)
class ClaimTotals:
    count: int
    net: Decimal
    gross: Decimal
    eligible: Decimal
    amount_claimed: Decimal


def amount_claimed(kind: str, eligible: Decimal, rate: Decimal, advance: Decimal) -> Decimal:
    """The rule of the module docstring: eligible × rate, rounded once; an advance as asked."""
    if kind == PaymentClaim.Kind.ADVANCE:
        return advance
    return to_grosz(eligible * rate / HUNDRED)


def claim_totals(claim: PaymentClaim) -> ClaimTotals:
    """A claim's sums from its expenses, in one query."""
    sums = claim.expenses.aggregate(
        count=Count("id"), net=Sum("net"), gross=Sum("gross"), eligible=Sum("eligible")
    )
    eligible = sums["eligible"] or ZERO
    rate = claim.project.application.co_financing_rate
    return ClaimTotals(
        count=sums["count"],
        net=sums["net"] or ZERO,
        gross=sums["gross"] or ZERO,
        eligible=eligible,
        amount_claimed=amount_claimed(claim.kind, eligible, rate, claim.advance_requested),
    )


def cumulative_claimed(project: GrantProject, *, up_to: PaymentClaim | None = None) -> Decimal:
    """The grant claimed by the project's interim and final claims (up to one claim's number)."""
    rate = project.application.co_financing_rate
    claims = project.claims.exclude(kind=PaymentClaim.Kind.ADVANCE)
    if up_to is not None:
        claims = claims.filter(number__lte=up_to.number)
    sums = claims.annotate(eligible=Sum("expenses__eligible")).values_list("eligible", flat=True)
    return sum((to_grosz((e or ZERO) * rate / HUNDRED) for e in sums), ZERO)


def advance_total(project: GrantProject) -> Decimal:
    """The advances asked for by the project's advance claims."""
    total = project.claims.filter(kind=PaymentClaim.Kind.ADVANCE).aggregate(
        total=Sum("advance_requested")
    )["total"]
    return total or ZERO


def project_claims(project: GrantProject) -> list[tuple[PaymentClaim, Decimal]]:
    """The project's claims in order, each with its amount claimed (one query)."""
    rate = project.application.co_financing_rate
    claims = project.claims.annotate(eligible=Sum("expenses__eligible")).order_by("number")
    return [
        (c, amount_claimed(c.kind, c.eligible or ZERO, rate, c.advance_requested)) for c in claims
    ]


def ensure_may_change(user, project: GrantProject) -> None:
    permissions.ensure_may_work_on(
        user, project, _("You may view this project but not change its payment claims.")
    )


# ---------------------------------------------------------------- planning


def periods(starts: date, ends: date, months: int) -> list[tuple[date, date]]:
    """The realisation cut into periods of `months` months (the last one may be shorter)."""
    result = []
    k = 0
    while True:
        period_from = add_months(starts, k * months)
        if period_from > ends:
            return result
        period_to = min(add_months(starts, (k + 1) * months) - timedelta(days=1), ends)
        result.append((period_from, period_to))
        k += 1


def _planning_errors(
    application: GrantApplication, advance: Any, months: Any, days: Any
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(months, int) or months < 1:
        errors["interim_months"] = [_("A claim period is at least one month.")]
    elif months > MAX_PERIOD_MONTHS:
        errors["interim_months"] = [_("A claim period is at most ten years.")]
    if not isinstance(days, int) or days < 0:
        errors["days_to_file"] = [_("The days to file a claim cannot be negative.")]
    elif days > MAX_DAYS_TO_FILE:
        errors["days_to_file"] = [_("A claim is filed within a year of its period.")]
    awarded = application.awarded_amount
    if not isinstance(advance, Decimal) or not advance.is_finite() or advance < 0:
        errors["advance_amount"] = [_("The advance cannot be negative.")]
    elif awarded is not None and advance > awarded:
        errors["advance_amount"] = [_("The advance cannot exceed the awarded grant.")]
    elif advance != to_grosz(advance):
        errors["advance_amount"] = [_("Give the advance in whole grosze.")]
    if awarded is None:
        errors["awarded_amount"] = [_("The grant has not been awarded yet.")]
    starts, ends = application.realisation_starts_on, application.realisation_ends_on
    if starts is None or ends is None:
        errors["realisation_starts_on"] = [_("Set the realisation period first.")]
    elif ends < starts:
        errors["realisation_ends_on"] = [_("The realisation cannot end before it starts.")]
    return errors


def _day(day: date) -> str:
    """A date as the reader's language writes it short (31.12.2026 in Polish)."""
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _claim_title(claim: PaymentClaim) -> str:
    # Stored on the timeline: written in Polish, as the grantor's documents are.
    with translation.override("pl"):
        return _("Payment claim %(number)s (%(kind)s), %(start)s – %(end)s") % {
            "number": claim.number,
            "kind": claim.get_kind_display(),
            "start": _day(claim.period_from),
            "end": _day(claim.period_to),
        }


@transaction.atomic
def plan_claims(
    *, actor, project: GrantProject, advance_amount: Decimal, interim_months: int, days_to_file: int
) -> list[PaymentClaim]:
    """Plan the project's claims when its grant agreement is recorded.

    An advance claim when `advance_amount` > 0 (covering the first period, due
    `days_to_file` days after the agreement was signed, or after the realisation
    starts); one interim claim per `interim_months` months of the realisation;
    the final claim for the last period. Each is due `days_to_file` calendar
    days after its period ends, moved to the next Polish business day, and is
    put on the project's timeline. Planning twice returns the claims already
    planned and changes nothing (the process may retry its step).
    """
    project = GrantProject.objects.select_for_update().get(pk=project.pk)
    existing = list(project.claims.order_by("number"))
    if existing:
        return existing
    application = GrantApplication.objects.get(project=project)
    errors = _planning_errors(application, advance_amount, interim_months, days_to_file)
    if errors:
        raise ApplicationError(_("The payment claims cannot be planned."), field_errors=errors)
    starts, ends = application.realisation_starts_on, application.realisation_ends_on
    cuts = periods(starts, ends, interim_months)
    delay = timedelta(days=days_to_file)
    plan: list[tuple[str, date, date, date, Decimal]] = []
    if advance_amount > 0:
        first_from, first_to = cuts[0]
        signed = application.agreement_signed_on or starts
        plan.append(
            (PaymentClaim.Kind.ADVANCE, first_from, first_to, signed + delay, advance_amount)
        )
    for index, (period_from, period_to) in enumerate(cuts):
        kind = PaymentClaim.Kind.FINAL if index == len(cuts) - 1 else PaymentClaim.Kind.INTERIM
        plan.append((kind, period_from, period_to, period_to + delay, ZERO))
    claims = []
    for number, (kind, period_from, period_to, due, advance) in enumerate(plan, start=1):
        claim = PaymentClaim(
            project=project,
            number=number,
            kind=kind,
            period_from=period_from,
            period_to=period_to,
            due_date=next_business_day(due),
            advance_requested=advance,
        )
        records.full_clean(claim)
        claim.save()
        audit.record_create(claim, actor=actor)
        obligations.plan(
            project=project,
            kind=Obligation.Kind.CLAIM,
            source=claim,
            due=claim.due_date,
            title=_claim_title(claim),
        )
        claims.append(claim)
    return claims


# ---------------------------------------------------------------- expenses


def lock(claim: PaymentClaim, actor) -> PaymentClaim:
    """The project's row, then the claim's, locked; the claim re-read with its project."""
    project = GrantProject.objects.select_for_update().get(pk=claim.project_id)
    ensure_may_change(actor, project)
    locked = PaymentClaim.objects.select_for_update().get(pk=claim.pk)
    locked.project = project
    return locked


def _ensure_planned(claim: PaymentClaim) -> None:
    if claim.status != PaymentClaim.Status.PLANNED:
        message = _("The claim has been submitted; its expenses can no longer change.")
        raise ApplicationError(message, field_errors={"claim": [message]})
    if claim.kind == PaymentClaim.Kind.ADVANCE:
        message = _("An advance claim has no expenses; put them in the claim of their period.")
        raise ApplicationError(message, field_errors={"claim": [message]})


def expense_errors(claim: PaymentClaim, expense: EligibleExpense) -> dict[str, list[str]]:
    """What is wrong with `expense` for `claim` (field → messages), nothing saved."""
    errors: dict[str, list[str]] = {}
    for name in ("net", "gross", "eligible"):
        value = getattr(expense, name)
        if isinstance(value, Decimal) and value.is_finite():
            if value < 0:
                errors[name] = [_("The amount cannot be negative.")]
            elif value != to_grosz(value) or not fits_money_field(value):
                errors[name] = [_("Give the amount in złoty and grosze.")]
    try:
        if "net" not in errors and "gross" not in errors and expense.net > expense.gross:
            errors["net"] = [_("The net amount cannot exceed the gross amount.")]
        if "eligible" not in errors and "gross" not in errors and expense.eligible > expense.gross:
            errors["eligible"] = [_("The eligible amount cannot exceed the gross amount.")]
    except TypeError:
        pass  # a missing amount: full_clean names it
    application = claim.project.application
    paid = expense.paid_on
    if isinstance(paid, date):
        starts, ends = application.realisation_starts_on, application.realisation_ends_on
        if starts and ends and not starts <= paid <= ends:
            errors["paid_on"] = [
                _("The expense was paid outside the eligibility period (%(start)s – %(end)s).")
                % {"start": _day(starts), "end": _day(ends)}
            ]
        elif not claim.period_from <= paid <= claim.period_to:
            errors["paid_on"] = [
                _("The expense was paid outside the claim's period (%(start)s – %(end)s).")
                % {"start": _day(claim.period_from), "end": _day(claim.period_to)}
            ]
    try:
        expense.full_clean(exclude=[*errors, "claim"])
    except Exception as error:  # ValidationError: merged beside ours
        converted = records.validation_error_to_application_error(error)
        for name, messages in converted.field_errors.items():
            errors.setdefault(name, []).extend(messages)
    return errors


def _ensure_within_award(project: GrantProject) -> None:
    awarded = project.application.awarded_amount
    total = cumulative_claimed(project)
    if awarded is not None and total > awarded:
        message = _(
            "Together the claims would ask for %(total)s, more than the awarded %(awarded)s."
        ) % {"total": pln(total), "awarded": pln(awarded)}
        raise ApplicationError(message, field_errors={"eligible": [message]})


def _build(claim: PaymentClaim, data: dict[str, Any], base: EligibleExpense | None = None):
    expense = base or EligibleExpense(claim=claim)
    for name in EXPENSE_FIELDS:
        if name in data:
            value = data[name]
            setattr(expense, name, value.strip() if isinstance(value, str) else value)
    if expense.category is None:
        expense.category = ""
    return expense


def row_key(row: int, field: str) -> str:
    """The field-error key of an imported row's field: "row 7: paid_on"."""
    return _("row %(row)s: %(field)s") % {"row": row, "field": field}


@transaction.atomic
def expense_add(*, actor, claim: PaymentClaim, data: dict[str, Any]) -> EligibleExpense:
    """Put one expense into a planned claim (refused with field errors, nothing saved)."""
    return expenses_add(actor=actor, claim=claim, rows=[data])[0]


@transaction.atomic
def expenses_add(
    *, actor, claim: PaymentClaim, rows: list[dict[str, Any]], row_numbers: list[int] | None = None
) -> list[EligibleExpense]:
    """Put expenses into a planned claim, all or none.

    With `row_numbers` (an import: each row's number in the file), each error
    names its row: the field errors are keyed "row N: field", and nothing is
    saved when any row is wrong.
    """
    claim = lock(claim, actor)
    _ensure_planned(claim)
    built, errors = [], {}
    for index, data in enumerate(rows):
        expense = _build(claim, data)
        row_errors = expense_errors(claim, expense)
        if row_numbers is None:
            errors.update(row_errors)
        else:
            for name, messages in row_errors.items():
                errors[row_key(row_numbers[index], name)] = messages
        built.append(expense)
    if errors:
        message = (
            _("The expense cannot be added.")
            if row_numbers is None
            else _("The file has wrong rows; nothing was imported.")
        )
        raise ApplicationError(message, field_errors=errors)
    for expense in built:
        expense.save()
    _ensure_within_award(claim.project)  # raising rolls the rows back
    for expense in built:
        audit.record_create(expense, actor=actor)
    return built


@transaction.atomic
def expense_change(*, actor, expense: EligibleExpense, data: dict[str, Any]) -> EligibleExpense:
    """Change an expense of a planned claim (refused with field errors, nothing saved)."""
    claim = lock(expense.claim, actor)
    _ensure_planned(claim)
    try:
        current = EligibleExpense.objects.get(pk=expense.pk, claim=claim)
    except EligibleExpense.DoesNotExist as error:
        raise ApplicationError(_("The expense has been removed meanwhile.")) from error
    before = audit.snapshot(current)
    current.claim = claim
    _build(claim, data, base=current)
    errors = expense_errors(claim, current)
    if errors:
        raise ApplicationError(_("The expense cannot be changed."), field_errors=errors)
    current.save()
    _ensure_within_award(claim.project)
    audit.record_update(current, actor=actor, before=before)
    return current


@transaction.atomic
def expense_remove(*, actor, expense: EligibleExpense) -> None:
    """Take an expense out of a planned claim."""
    claim = lock(expense.claim, actor)
    _ensure_planned(claim)
    current = EligibleExpense.objects.filter(pk=expense.pk, claim=claim).first()
    if current is None:
        return  # already removed by someone else: the outcome asked for
    pk = current.pk
    current.delete()
    audit.record_delete(current, actor=actor, pk=pk)


# ---------------------------------------------------------------- filing


@transaction.atomic
def claim_submit(*, actor, claim: PaymentClaim, on: date | None = None) -> PaymentClaim:
    """The client filed the claim with the grantor: it is closed on the project's timeline."""
    claim = lock(claim, actor)
    on = on or clock.today()
    if claim.status != PaymentClaim.Status.PLANNED:
        message = _("The claim has already been submitted.")
        raise ApplicationError(message, field_errors={"status": [message]})
    if claim.kind == PaymentClaim.Kind.ADVANCE and claim.advance_requested <= 0:
        message = _("The advance claim asks for no money.")
        raise ApplicationError(message, field_errors={"advance_requested": [message]})
    before = audit.snapshot(claim)
    changed = PaymentClaim.objects.filter(pk=claim.pk, status=PaymentClaim.Status.PLANNED).update(
        status=PaymentClaim.Status.SUBMITTED, submitted_on=on
    )
    if changed != 1:  # pragma: no cover - the row is locked
        raise ApplicationError(_("The claim was changed meanwhile; try again."))
    claim.status, claim.submitted_on = PaymentClaim.Status.SUBMITTED, on
    obligations.close(claim, kind=Obligation.Kind.CLAIM, on=on)
    audit.record_update(claim, actor=actor, before=before)
    return claim


@transaction.atomic
def claim_settle(*, actor, claim: PaymentClaim, on: date | None = None) -> PaymentClaim:
    """The grantor accepted (settled) a submitted claim.

    Settling the final claim does nothing more here: the final payment, which
    starts the durability period, is recorded by the process.
    """
    claim = lock(claim, actor)
    on = on or clock.today()
    if claim.status != PaymentClaim.Status.SUBMITTED:
        message = _("Only a submitted claim can be settled.")
        raise ApplicationError(message, field_errors={"status": [message]})
    if claim.submitted_on and on < claim.submitted_on:
        message = _("A claim cannot be settled before it was submitted.")
        raise ApplicationError(message, field_errors={"settled_on": [message]})
    before = audit.snapshot(claim)
    PaymentClaim.objects.filter(pk=claim.pk, status=PaymentClaim.Status.SUBMITTED).update(
        status=PaymentClaim.Status.SETTLED, settled_on=on
    )
    claim.status, claim.settled_on = PaymentClaim.Status.SETTLED, on
    audit.record_update(claim, actor=actor, before=before)
    return claim
