"""Fixtures of the PV sales force tests: the sales team with its telephone salespeople."""

import pytest

from tests.solutions.pv_salesforce.helpers import SalesTeam, make_team


@pytest.fixture
def team(org) -> SalesTeam:
    return make_team(org)
