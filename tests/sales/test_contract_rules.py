from decimal import Decimal

import pytest

from obieg.core.errors import ApplicationError
from obieg.sales import services
from tests.factories import AccountFactory, OpportunityFactory


def test_a_contract_cannot_take_an_opportunity_of_another_account(org):
    account = AccountFactory(owner=org.sara)
    foreign = OpportunityFactory(owner=org.sara)
    with pytest.raises(ApplicationError) as error:
        services.contract_create(
            actor=org.sara, account=account, data={"title": "Umowa", "opportunity": foreign}
        )
    assert "opportunity" in error.value.field_errors
    assert not account.contracts.exists()


def test_a_contract_cannot_be_moved_to_another_customer(org):
    account = AccountFactory(owner=org.sara)
    contract = services.contract_create(
        actor=org.sara,
        account=account,
        data={"title": "Umowa", "value_net": Decimal("10"), "value_gross": Decimal("12.30")},
    )
    with pytest.raises(ApplicationError) as error:
        services.contract_update(
            actor=org.sara, contract=contract, data={"account": AccountFactory(owner=org.sara)}
        )
    assert "account" in error.value.field_errors
    contract.refresh_from_db()
    assert contract.account_id == account.pk
