"""The sales reports' figures: exact sums, the right buckets, only the people one may see."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from obieg.core.errors import PermissionDenied
from obieg.crm.models import Activity, Opportunity
from obieg.crm.reports import activity, sales, scope
from obieg.crm.reports.table import Period
from tests.factories import AccountFactory, ActivityFactory, OpportunityFactory

Stage = Opportunity.Stage
WARSAW = ZoneInfo("Europe/Warsaw")
YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))


def opportunity(owner, stage, value, **extra):
    return OpportunityFactory(
        owner=owner,
        stage=stage,
        value=Decimal(value),
        probability=extra.pop("probability", Opportunity.DEFAULT_PROBABILITY[stage]),
        **extra,
    )


def cells(table, first):
    return next(row for row in table.rows if row[0] == first)


@pytest.mark.django_db
def test_pipeline_sums_open_value_per_stage_and_owner_exactly(org):
    # 0.10 + 0.20 a thousand times: a floating sum would drift from 300.00.
    for _ in range(1000):
        opportunity(org.sara, Stage.PROPOSAL, "0.10", probability=33)
        opportunity(org.sara, Stage.PROPOSAL, "0.20", probability=33)
    opportunity(org.sara, Stage.NEGOTIATION, "1000.01", probability=75)
    opportunity(org.sara, Stage.WON, "5000")  # closed: not in the pipeline
    opportunity(org.tomasz, Stage.QUALIFICATION, "10")

    table = sales.pipeline(scope.owners_for(org.manager))

    sara = cells(table, "Sara")
    columns = [column.key for column in table.columns]
    assert sara[columns.index("proposal")] == Decimal("300.00")
    assert sara[columns.index("negotiation")] == Decimal("1000.01")
    assert sara[columns.index("count")] == 2001
    assert sara[columns.index("value")] == Decimal("1300.01")
    # 300.00 × 33% + 1000.01 × 75%, unrounded.
    assert sara[columns.index("weighted")] == Decimal("99") + Decimal("750.0075")
    assert cells(table, "Tomasz")[columns.index("qualification")] == Decimal("10")
    assert table.total[columns.index("value")] == Decimal("1310.01")


@pytest.mark.django_db
def test_won_and_lost_are_counted_in_the_month_they_closed_in_polish_time(org):
    # 23:30 on 31 January in UTC is already 1 February in Warsaw.
    late = datetime(2026, 1, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    opportunity(org.sara, Stage.WON, "100", closed_at=late)
    opportunity(org.sara, Stage.LOST, "40", closed_at=datetime(2026, 3, 5, 12, tzinfo=WARSAW))
    opportunity(org.sara, Stage.LOST, "60", closed_at=datetime(2025, 12, 5, 12, tzinfo=WARSAW))

    table = sales.won_lost(scope.owners_for(org.sara), YEAR)

    assert len(table.rows) == 12
    february, march = table.rows[1], table.rows[2]
    assert february[:3] == [date(2026, 2, 1), 1, Decimal("100")]
    assert table.rows[0][1] == 0
    assert march[3:5] == [1, Decimal("40")]
    assert table.total[1:5] == [1, Decimal("100"), 1, Decimal("40")]
    assert table.total[5] == Decimal("0.5")


@pytest.mark.django_db
def test_loss_reasons_group_the_typed_reasons_and_name_the_missing_ones(org):
    closed = datetime(2026, 5, 5, 12, tzinfo=WARSAW)
    for reason, value in (("Za drogo", "10"), ("Za drogo", "20"), ("", "5")):
        opportunity(org.sara, Stage.LOST, value, closed_at=closed, lost_reason=reason)

    table = sales.loss_reasons(scope.owners_for(org.sara), YEAR)

    assert table.rows[0] == ["Za drogo", 2, Decimal("30"), Decimal(2) / Decimal(3)]
    assert table.rows[1][:3] == ["(not given)", 1, Decimal("5")]


@pytest.mark.django_db
def test_forecast_weights_open_value_by_probability_per_expected_close_month(org):
    opportunity(org.sara, Stage.PROPOSAL, "1000", probability=50, expected_close=date(2026, 4, 9))
    opportunity(
        org.sara, Stage.NEGOTIATION, "333.33", probability=75, expected_close=date(2026, 4, 30)
    )
    opportunity(org.sara, Stage.WON, "9999", expected_close=date(2026, 4, 1))
    opportunity(org.sara, Stage.PROPOSAL, "70", probability=10, expected_close=None)
    opportunity(org.sara, Stage.PROPOSAL, "70", expected_close=date(2027, 1, 1))  # after

    table = sales.forecast(scope.owners_for(org.sara), YEAR)

    april = table.rows[3]
    assert april == [date(2026, 4, 1), 2, Decimal("1333.33"), Decimal("749.9975")]
    assert table.rows[-1] == ["no expected close date", 1, Decimal("70"), Decimal("7")]
    assert table.total[1] == 3


@pytest.mark.django_db
def test_activity_counts_each_salespersons_kinds_and_statuses_in_the_period(org):
    account = AccountFactory(owner=org.sara)
    inside = datetime(2026, 6, 1, 10, tzinfo=WARSAW)
    ActivityFactory(account=account, owner=org.sara, kind=Activity.Kind.CALL, occurs_at=inside)
    ActivityFactory(
        account=account,
        owner=org.sara,
        kind=Activity.Kind.MEETING,
        status=Activity.Status.DONE,
        occurs_at=inside,
    )
    ActivityFactory(
        account=account,
        owner=org.sara,
        kind=Activity.Kind.CALL,
        occurs_at=datetime(2027, 1, 1, 0, 30, tzinfo=WARSAW),
    )
    ActivityFactory(account=account, owner=org.olga, kind=Activity.Kind.CALL, occurs_at=inside)

    table = activity.activity(scope.owners_for(org.manager), YEAR)

    keys = [column.key for column in table.columns]
    assert [row[0] for row in table.rows] == ["Sara"]  # Olga is not in Maria's team
    sara = table.rows[0]
    assert sara[keys.index("kind_call")] == 1
    assert sara[keys.index("kind_meeting")] == 1
    assert sara[keys.index("status_done")] == 1
    assert sara[keys.index("status_planned")] == 1
    assert sara[keys.index("total")] == 2


@pytest.mark.django_db
def test_scope_is_own_figures_the_managers_team_and_everyone_for_admin_and_board(org):
    assert scope.owners_for(org.sara).ids == {org.sara.pk}
    assert scope.owners_for(org.manager).ids == {org.manager.pk, org.sara.pk, org.tomasz.pk}
    assert scope.owners_for(org.admin).ids is None
    assert scope.owners_for(org.board).ids is None
    assert scope.owners_for(org.manager, team=org.sales_team).ids == {org.sara.pk, org.tomasz.pk}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reader", "asked"),
    [
        ("sara", {"owner": "tomasz"}),
        ("manager", {"owner": "olga"}),
        ("manager", {"team": "other_team"}),
    ],
)
def test_scope_refuses_people_and_teams_outside_it(org, reader, asked):
    ((kind, name),) = asked.items()
    with pytest.raises(PermissionDenied):
        scope.owners_for(getattr(org, reader), **{kind: getattr(org, name)})


@pytest.mark.django_db
def test_only_sellers_managers_board_and_admin_see_reports(org):
    assert scope.may_see_reports(org.sara)
    assert scope.may_see_reports(org.manager)
    assert scope.may_see_reports(org.board)
    assert scope.may_see_reports(org.admin)
    assert not scope.may_see_reports(org.accountant)
    assert not scope.may_see_reports(org.stranger)
