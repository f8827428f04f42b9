"""Indicators: added, changed and removed with field errors; the below-target flag follows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.solutions.grants import durability
from obieg.solutions.grants.models import Indicator, Measurement
from tests.solutions.grants.helpers import make_project

GOOD = {
    "name": "Nowe miejsca pracy",
    "kind": "result",
    "unit": "etaty",
    "baseline": "0",
    "target": "3,5",
    "higher_is_better": "on",
}


def test_the_coordinator_adds_an_indicator(institution):
    project = make_project(institution)

    indicator = durability.indicator_add(actor=institution.coordinator, project=project, data=GOOD)

    assert indicator.target == Decimal("3.50") and indicator.baseline == Decimal("0.00")
    assert indicator.higher_is_better is True
    assert not indicator.measurements.exists()  # planned only when the period starts


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"target": "0"}, "target"),  # higher is better: must rise above the baseline
        ({"target": "-1"}, "target"),
        ({"higher_is_better": "", "target": "5"}, "target"),  # lower is better: must fall
        ({"target": "NaN"}, "target"),
        ({"target": "Infinity"}, "target"),
        ({"target": "abc"}, "target"),
        ({"target": ""}, "target"),
        ({"target": "1.005"}, "target"),
        ({"target": "1e20"}, "target"),
        ({"baseline": "1000000000000"}, "baseline"),
        ({"name": ""}, "name"),
        ({"unit": ""}, "unit"),
        ({"kind": "output"}, "kind"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_bad_indicators_are_refused_with_field_errors(institution, change, field):
    project = make_project(institution)

    with pytest.raises(ApplicationError) as refused:
        durability.indicator_add(
            actor=institution.coordinator, project=project, data={**GOOD, **change}
        )

    assert field in refused.value.field_errors
    assert not Indicator.objects.filter(project=project).exists()


def test_a_falling_indicator_targets_below_its_baseline(institution):
    project = make_project(institution)

    indicator = durability.indicator_add(
        actor=institution.coordinator,
        project=project,
        data={
            **GOOD,
            "name": "Emisja CO₂",
            "unit": "t",
            "baseline": "120",
            "target": "80",
            "higher_is_better": "",
        },
    )

    assert indicator.higher_is_better is False
    assert indicator.falls_short(Decimal("80.01")) and not indicator.falls_short(Decimal("80"))


def test_changing_the_target_reflags_the_indicator(institution):
    project = make_project(institution)
    indicator = durability.indicator_add(actor=institution.coordinator, project=project, data=GOOD)
    Measurement.objects.create(indicator=indicator, due_date=project.created_at.date(), value=3)
    durability.indicator_change(
        actor=institution.coordinator, indicator=indicator, data={**GOOD, "target": "2.99"}
    )
    indicator.refresh_from_db()
    assert indicator.latest_value == Decimal("3.00") and not indicator.below_target

    durability.indicator_change(
        actor=institution.coordinator, indicator=indicator, data={**GOOD, "target": "3.01"}
    )

    indicator.refresh_from_db()
    assert indicator.target == Decimal("3.01") and indicator.below_target


def test_a_bad_change_changes_nothing(institution):
    project = make_project(institution)
    indicator = durability.indicator_add(actor=institution.coordinator, project=project, data=GOOD)

    with pytest.raises(ApplicationError):
        durability.indicator_change(
            actor=institution.coordinator, indicator=indicator, data={**GOOD, "target": "-5"}
        )

    indicator.refresh_from_db()
    assert indicator.target == Decimal("3.50")


def test_a_measured_indicator_cannot_be_removed_an_unmeasured_one_can(institution):
    project = make_project(institution)
    measured = durability.indicator_add(actor=institution.coordinator, project=project, data=GOOD)
    unmeasured = durability.indicator_add(
        actor=institution.coordinator, project=project, data={**GOOD, "name": "Inny"}
    )
    Measurement.objects.create(indicator=measured, due_date=project.created_at.date(), value=1)

    with pytest.raises(ApplicationError):
        durability.indicator_remove(actor=institution.coordinator, indicator=measured)
    durability.indicator_remove(actor=institution.coordinator, indicator=unmeasured)

    assert list(project.indicators.values_list("pk", flat=True)) == [measured.pk]


def test_another_coordinator_may_not_add_indicators(institution):
    project = make_project(institution)

    with pytest.raises(PermissionDenied):
        durability.indicator_add(actor=institution.other_coordinator, project=project, data=GOOD)

    assert not project.indicators.exists()
