"""The contract's payment schedule: instalments that sum exactly, refusals, a fixed schedule."""

from datetime import date
from decimal import Decimal

import pytest

from obieg.billing.models import ScheduleItem
from obieg.core.errors import ApplicationError
from obieg.solutions.grants import schedule
from obieg.solutions.grants.models import Obligation
from tests.solutions.grants.test_process_steps import (
    START_MOMENT,
    frozen,
    plan_fixed,
    reload,
    start,
    terms,
    to_signature,
)


def items_of(project):
    return list(ScheduleItem.objects.filter(contract=reload(project).contract))


def test_instalments_are_monthly_and_sum_exactly(institution, seller):
    inst = institution
    with frozen(START_MOMENT):
        project = start(inst)
        terms(inst, project)
        created = schedule.add_instalments(
            actor=inst.advisor,
            project=project,
            total=Decimal("12300.00"),
            count=36,
            first_due=date(2026, 3, 31),
        )
    amounts = [item.amount for item in created]
    assert amounts[:35] == [Decimal("341.66")] * 35
    assert amounts[35] == Decimal("341.90")  # the remainder
    assert sum(amounts) == Decimal("12300.00")
    # The 31st moves to each month's last day, and back to the 31st when the month has one.
    assert [item.due_date for item in created[:4]] == [
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
        date(2026, 6, 30),
    ]
    assert created[-1].due_date == date(2029, 2, 28)
    assert created[0].description.endswith(" 1/36")
    obligations = Obligation.objects.filter(project=project, kind=Obligation.Kind.PAYMENT)
    assert obligations.count() == 36
    assert sorted(o.due_date for o in obligations) == sorted(i.due_date for i in created)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        ({"due_date": date(2026, 4, 1), "amount": Decimal("12300.01")}, "amount"),
        ({"due_date": date(2026, 4, 1), "amount": Decimal("-10.00")}, "amount"),
        ({"due_date": date(2026, 4, 1), "amount": Decimal("0")}, "amount"),
        ({"due_date": date(2026, 4, 1), "amount": Decimal("1.001")}, "amount"),
        ({"due_date": date(2026, 4, 1), "amount": "dużo"}, "amount"),
        ({"due_date": date(2026, 3, 1), "amount": Decimal("100.00")}, "due_date"),
    ],
)
def test_a_bad_fixed_fee_is_refused_beside_its_field(institution, seller, call, field):
    inst = institution
    with frozen(START_MOMENT):
        project = start(inst)
        terms(inst, project)  # from 2 March 2026; 10,000 net = 12,300 gross fixed
        with pytest.raises(ApplicationError) as refused:
            schedule.add_fixed_fee(actor=inst.advisor, project=project, **call)
    assert list(refused.value.field_errors) == [field]
    assert items_of(project) == []
    assert not Obligation.objects.filter(project=project).exists()


def test_a_schedule_over_the_fixed_remuneration_is_refused_and_nothing_changes(institution, seller):
    inst = institution
    with frozen(START_MOMENT):
        project = start(inst)
        terms(inst, project)
        schedule.add_fixed_fee(
            actor=inst.advisor, project=project, due_date=date(2026, 3, 31), amount=Decimal("300")
        )
        with pytest.raises(ApplicationError) as refused:
            schedule.add_instalments(
                actor=inst.advisor,
                project=project,
                total=Decimal("12000.01"),
                count=12,
                first_due=date(2026, 4, 30),
            )
        assert "total" in refused.value.field_errors
        assert "12300.00" in refused.value.message
        with pytest.raises(ApplicationError) as refused:
            schedule.add_instalments(
                actor=inst.advisor,
                project=project,
                total=Decimal("100"),
                count=0,
                first_due=date(2026, 4, 30),
            )
        assert "count" in refused.value.field_errors
        # Lowering the fixed remuneration under what is planned is refused too.
        with pytest.raises(ApplicationError) as refused:
            terms(inst, project, fixed="200.00")
        assert "fixed_remuneration" in refused.value.field_errors
        # … and so is a start after a planned payment.
        with pytest.raises(ApplicationError) as refused:
            terms(inst, project, starts=date(2026, 4, 1))
        assert "contract_starts_on" in refused.value.field_errors
    assert [item.amount for item in items_of(project)] == [Decimal("300.00")]
    assert reload(project).contract.value_net == Decimal("22000.00")
    assert reload(project).contract.starts_on == date(2026, 3, 2)


def test_a_payment_is_removed_before_approval_and_the_schedule_is_fixed_after(institution, seller):
    inst = institution
    with frozen(START_MOMENT):
        project = start(inst)
        plan_fixed(inst, project, fee="300.00")
        (item,) = items_of(project)
        schedule.remove_item(actor=inst.advisor, project=project, item_id=item.pk)
        assert items_of(project) == []
        assert not Obligation.objects.filter(project=project).exists()

        signed = to_signature(inst)
        (item,) = items_of(signed)
        with pytest.raises(ApplicationError, match="fixed"):
            schedule.remove_item(actor=inst.advisor, project=signed, item_id=item.pk)
        with pytest.raises(ApplicationError, match="fixed"):
            schedule.add_fixed_fee(
                actor=inst.advisor,
                project=signed,
                due_date=date(2026, 5, 1),
                amount=Decimal("1.00"),
            )
    assert len(items_of(signed)) == 1


def test_someone_elses_project_schedule_cannot_be_changed(institution, seller):
    from obieg.core.errors import PermissionDenied

    inst = institution
    with frozen(START_MOMENT):
        project = start(inst)
        terms(inst, project)
        with pytest.raises(PermissionDenied):
            schedule.add_fixed_fee(
                actor=inst.org.tomasz,
                project=project,
                due_date=date(2026, 4, 1),
                amount=Decimal("100.00"),
            )
    assert items_of(project) == []


def test_a_success_fee_that_does_not_fit_is_refused(institution, seller):
    inst = institution
    with frozen(START_MOMENT):
        project = to_signature(inst)
        with pytest.raises(ApplicationError) as refused:
            schedule.add_success_fee(
                actor=inst.coordinator,
                project=project,
                awarded=Decimal("400000.01") * 2,
                on=date(2026, 6, 1),
            )
    assert "awarded_amount" in refused.value.field_errors
    assert len(items_of(project)) == 1
