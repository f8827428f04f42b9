"""The cooperation contract's payment schedule: fixed fees, instalments and the success fee.

The contract's value is the fixed remuneration (net, entered by the
advisor) plus the success-fee cap (the fee's percent of the requested
grant); gross at 23 %. The fixed items may use the contract's gross value
less the cap's gross (so fixed items and a success fee at most the cap
never together exceed the contract, to the grosz). Each item is a billing
`ScheduleItem` (billing's hourly run issues its invoice when due) and a
payment `Obligation` of the project (the scan mails and chases it).

The schedule changes only while the contract is in preparation; from the
manager's approval on it is fixed (the success fee is added by the process).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from obieg.billing import schedules as billing_schedules
from obieg.billing.invoicing import SCHEDULER
from obieg.billing.models import ScheduleItem
from obieg.core import access, roles
from obieg.core.calendar_dates import add_months
from obieg.core.errors import ApplicationError
from obieg.core.money import ZERO, document_totals, fits_money_field, to_grosz
from obieg.sales.models import Contract
from obieg.solutions.grants import obligations
from obieg.solutions.grants.models import HUNDRED, GrantProject, Obligation

VAT_RATE = "23"
MAX_INSTALMENTS = 120


def refuse(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={field: [message]})


def gross_of(net: Decimal) -> Decimal:
    """Gross at 23 % of a net amount, as an invoice computes it."""
    return document_totals([(VAT_RATE, net)]).gross


def success_fee_net(percent: Decimal, grant: Decimal) -> Decimal:
    """The success fee (net): `percent` of the grant, to the grosz."""
    return to_grosz(percent * grant / HUNDRED)


@dataclass(frozen=True)
class ContractValue:
    fixed_net: Decimal
    cap_net: Decimal
    net: Decimal
    gross: Decimal
    fixed_gross_limit: Decimal  # what the fixed fees and instalments may add up to (gross)


def contract_value(*, fixed_net: Decimal, percent: Decimal, requested: Decimal) -> ContractValue:
    cap_net = success_fee_net(percent, requested)
    net = to_grosz(fixed_net) + cap_net
    gross = gross_of(net)
    return ContractValue(
        fixed_net=to_grosz(fixed_net),
        cap_net=cap_net,
        net=net,
        gross=gross,
        fixed_gross_limit=gross - gross_of(cap_net),
    )


def value_of(project: GrantProject) -> ContractValue:
    """The project's contract value as stored (fixed part = contract net less the fee cap)."""
    application = project.application
    cap_net = success_fee_net(project.success_fee_percent, application.requested_amount)
    contract = project.contract
    fixed_net = max(contract.value_net - cap_net, ZERO) if contract else ZERO
    return contract_value(
        fixed_net=fixed_net,
        percent=project.success_fee_percent,
        requested=application.requested_amount,
    )


def items(project: GrantProject):
    """The contract's schedule, in due order, with each item's invoice and obligation."""
    if project.contract_id is None:
        return ScheduleItem.objects.none()
    return (
        ScheduleItem.objects.filter(contract_id=project.contract_id)
        .select_related("invoice", "grant_obligation")
        .order_by("due_date", "id")
    )


def billing_actor(actor):
    """Billing's schedule services are accounting's: the advisor acts through the scheduler."""
    if access.is_admin(actor) or actor.has_role(roles.ACCOUNTANT):
        return actor
    return SCHEDULER


def _editable(actor, project: GrantProject) -> tuple[GrantProject, Contract]:
    """Lock the project; refuse unless its contract is still in preparation and theirs to edit."""
    access.ensure_can_change(actor, project)
    project = (
        GrantProject.objects.select_for_update(of=("self",))
        .select_related("application", "contract")
        .get(pk=project.pk)
    )
    contract = project.contract
    if (
        contract is None
        or project.status != GrantProject.Status.CONTRACT
        or contract.status != Contract.Status.DRAFT
    ):
        raise refuse("__all__", _("The schedule is fixed once the contract has been approved."))
    return project, contract


def _check_amount(amount, field: str = "amount") -> Decimal:
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise refuse(field, _("Enter an amount in złoty, e.g. 1500.00."))
    if amount <= 0:
        raise refuse(field, _("The amount must be greater than zero."))
    if to_grosz(amount) != amount or not fits_money_field(amount):
        raise refuse(field, _("Enter an amount in złoty with at most two decimal places."))
    return amount


def _check_date(contract: Contract, due: date, field: str = "due_date") -> None:
    if not isinstance(due, date):
        raise refuse(field, _("Enter a date."))
    if contract.starts_on and due < contract.starts_on:
        raise refuse(
            field,
            _("The payment cannot fall before the contract starts (%(date)s).")
            % {"date": contract.starts_on.isoformat()},
        )


def _check_total(project: GrantProject, contract: Contract, adding: Decimal, field: str) -> None:
    limit = value_of(project).fixed_gross_limit
    planned = (
        ScheduleItem.objects.filter(contract=contract).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    if planned + adding > limit:
        raise refuse(
            field,
            _(
                "The schedule would exceed the fixed remuneration of %(limit)s zł gross "
                "(%(planned)s zł planned so far)."
            )
            % {"limit": limit, "planned": planned},
        )


def client_words(project: GrantProject, message: str, **values) -> str:
    """An item's title in the client's language: it becomes the invoice's line."""
    from obieg.solutions.grants.notify import client_language

    with translation.override(client_language(project)):
        return _(message) % values


def _add(actor, project, contract, *, due: date, amount: Decimal, description: str):
    item = billing_schedules.schedule_item_add(
        actor=billing_actor(actor),
        contract=contract,
        due_date=due,
        amount=amount,
        kind=ScheduleItem.Kind.INSTALMENT,
        description=description[:200],
    )
    obligations.plan(
        project=project,
        kind=Obligation.Kind.PAYMENT,
        source=item,
        due=due,
        title=_("Invoice: %(description)s") % {"description": description},
    )
    return item


@transaction.atomic
def add_fixed_fee(
    *, actor, project: GrantProject, due_date: date, amount: Decimal, description: str = ""
) -> ScheduleItem:
    """Put one fixed fee (gross) on the contract's schedule, due on `due_date`."""
    project, contract = _editable(actor, project)
    amount = _check_amount(amount)
    _check_date(contract, due_date)
    _check_total(project, contract, amount, "amount")
    return _add(
        actor,
        project,
        contract,
        due=due_date,
        amount=amount,
        description=description.strip() or client_words(project, gettext_noop("fixed fee")),
    )


def check_terms(
    project: GrantProject, contract: Contract, value: ContractValue, starts_on: date | None
) -> None:
    """The planned payments must fit the fixed remuneration and fall after the start."""
    planned = (
        ScheduleItem.objects.filter(contract=contract).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    if planned > value.fixed_gross_limit:
        raise refuse(
            "fixed_remuneration",
            _(
                "The schedule plans %(planned)s zł gross, more than the fixed remuneration of "
                "%(limit)s zł gross."
            )
            % {"planned": planned, "limit": value.fixed_gross_limit},
        )
    if (
        starts_on
        and ScheduleItem.objects.filter(contract=contract, due_date__lt=starts_on).exists()
    ):
        raise refuse(
            "contract_starts_on",
            _("A planned payment falls before this date; move the payment or the start."),
        )


@transaction.atomic
def set_terms(
    *,
    actor,
    project: GrantProject,
    fixed_remuneration: Decimal,
    contract_starts_on: date,
    contract_ends_on: date | None = None,
    status: str | None = None,
) -> ContractValue:
    """The contract's fixed remuneration (net) and dates; its value follows (with the fee cap)."""
    from obieg.sales import services as sales

    project, contract = _editable(actor, project)
    fixed = _check_amount(fixed_remuneration, "fixed_remuneration")
    if not isinstance(contract_starts_on, date):
        raise refuse("contract_starts_on", _("Enter a date."))
    if contract_ends_on and contract_ends_on < contract_starts_on:
        raise refuse("contract_ends_on", _("The contract cannot end before it starts."))
    value = contract_value(
        fixed_net=fixed,
        percent=project.success_fee_percent,
        requested=project.application.requested_amount,
    )
    check_terms(project, contract, value, contract_starts_on)
    data = {
        "value_net": value.net,
        "value_gross": value.gross,
        "starts_on": contract_starts_on,
        "ends_on": contract_ends_on,
    }
    if status:
        data["status"] = status
    # The contract is the client's record: the advisor who owns the client writes it.
    writer = actor if access.can_change(actor, contract) else project.advisor
    sales.contract_update(actor=writer, contract=contract, data=data)
    return value


def split(total: Decimal, count: int) -> list[Decimal]:
    """`count` equal instalments of `total`; the last takes the rounding remainder."""
    each = (total / count).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    return [each] * (count - 1) + [total - each * (count - 1)]


@transaction.atomic
def add_instalments(
    *, actor, project: GrantProject, total: Decimal, count: int, first_due: date
) -> list[ScheduleItem]:
    """Spread `total` (gross) over `count` monthly instalments from `first_due`."""
    project, contract = _editable(actor, project)
    total = _check_amount(total, "total")
    if not isinstance(count, int) or not 1 <= count <= MAX_INSTALMENTS:
        raise refuse(
            "count",
            _("Enter a number of instalments from 1 to %(max)s.") % {"max": MAX_INSTALMENTS},
        )
    _check_date(contract, first_due, "first_due")
    amounts = split(total, count)
    if amounts[0] <= 0:
        raise refuse("total", _("The total is too small for this many instalments."))
    _check_total(project, contract, total, "total")
    created = []
    for number, amount in enumerate(amounts, start=1):
        description = client_words(
            project, gettext_noop("instalment %(number)s/%(count)s"), number=number, count=count
        )
        due = add_months(first_due, number - 1)
        created.append(
            _add(actor, project, contract, due=due, amount=amount, description=description)
        )
    return created


@transaction.atomic
def remove_item(*, actor, project: GrantProject, item_id: int) -> None:
    """Take a planned payment off the schedule while the contract is in preparation."""
    project, contract = _editable(actor, project)
    item = ScheduleItem.objects.filter(pk=item_id, contract=contract).first()
    if item is None:
        raise refuse("item", _("This payment is not on the contract's schedule."))
    # The obligation goes with the item (CASCADE); billing refuses an invoiced one.
    billing_schedules.schedule_item_remove(actor=billing_actor(actor), item=item)


@transaction.atomic
def add_success_fee(*, actor, project: GrantProject, awarded: Decimal, on: date) -> ScheduleItem:
    """The grant was approved: its success fee (gross) is due on the decision date."""
    project = (
        GrantProject.objects.select_for_update(of=("self",))
        .select_related("application", "contract")
        .get(pk=project.pk)
    )
    contract = project.contract
    fee_gross = gross_of(success_fee_net(project.success_fee_percent, awarded))
    if fee_gross <= 0:
        raise refuse("awarded_amount", _("This project has no success fee to add."))
    planned = (
        ScheduleItem.objects.filter(contract=contract).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    if planned + fee_gross > contract.value_gross:
        raise refuse(
            "awarded_amount",
            _(
                "The success fee of %(fee)s zł gross does not fit the contract's value of "
                "%(value)s zł gross (%(planned)s zł already planned)."
            )
            % {"fee": fee_gross, "value": contract.value_gross, "planned": planned},
        )
    description = client_words(
        project,
        gettext_noop("success fee %(percent)s%% of the awarded grant"),
        percent=f"{project.success_fee_percent.normalize():f}",
    )
    return _add(actor, project, contract, due=on, amount=fee_gross, description=description)
