"""Values are kept in one canonical text form, whatever way they came in."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from obieg.core.errors import ApplicationError
from obieg.crm import services
from obieg.customfields import values
from tests.factories import AccountFactory


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("150 000,50", "150000.5"),
        ("150000.50", "150000.5"),
        (Decimal("1E+2"), "100"),
        (Decimal("-0.000"), "0"),
        (12, "12"),
        (0.1, "0.1"),
        ("-3,25 zł", "-3.25"),
    ],
)
def test_numbers_are_stored_as_exact_decimals_without_exponent(turnover, typed, stored):
    assert values.canonical(turnover, typed) == stored


@pytest.mark.parametrize("bad", ["abc", "1.2.3", "1e5", "1234567890123456", "0.0000001", True])
def test_numbers_that_do_not_fit_are_refused(turnover, bad):
    with pytest.raises(ValidationError):
        values.canonical(turnover, bad)


def test_dates_are_iso_and_choices_are_their_values(audit_date, tier):
    assert values.canonical(audit_date, date(2026, 12, 31)) == "2026-12-31"
    assert values.canonical(audit_date, "2026-01-05") == "2026-01-05"
    with pytest.raises(ValidationError):
        values.canonical(audit_date, "31.12.2026")
    assert values.canonical(tier, "gold") == "gold"
    with pytest.raises(ValidationError):
        values.canonical(tier, "Gold")  # a label is not a value


def test_empty_values_are_not_stored(tier, turnover):
    assert values.canonical(tier, "") is None
    assert values.canonical(turnover, None) is None


def test_the_model_refuses_values_not_in_their_stored_form(org, turnover, tier):
    account = AccountFactory(owner=org.sara)
    for bad in ({"turnover": "150 000"}, {"turnover": 5}, {"tier": "bronze"}, {"nope": "x"}):
        with pytest.raises(ApplicationError) as refused:
            services.account_update(actor=org.sara, account=account, data={"custom": bad})
        assert "custom" in refused.value.field_errors
    account.refresh_from_db()
    assert account.custom == {}
    saved = services.account_update(
        actor=org.sara, account=account, data={"custom": {"turnover": "150000.5", "tier": "gold"}}
    )
    assert saved.custom == {"tier": "gold", "turnover": "150000.5"}


def test_saving_the_same_values_in_another_key_order_changes_nothing(org, turnover, tier):
    account = AccountFactory(owner=org.sara)
    account = services.account_update(
        actor=org.sara, account=account, data={"custom": {"tier": "gold", "turnover": "1"}}
    )
    revision = account.revision
    again = services.account_update(
        actor=org.sara, account=account, data={"custom": {"turnover": "1", "tier": "gold"}}
    )
    assert again.revision == revision
