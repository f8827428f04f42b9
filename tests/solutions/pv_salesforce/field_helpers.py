"""Small fixtures of the field part: a customer with an opportunity, a field salesperson."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from obieg.core import roles
from obieg.crm.models import Account, Opportunity
from obieg.solutions.pv_salesforce.models_field import FieldDay
from tests.conftest import make_user

WARSAW = ZoneInfo("Europe/Warsaw")
# Monday 8 March 2027, 07:00 in Warsaw: the planner runs for Tuesday the 9th.
NOW = datetime(2027, 3, 8, 7, 0, tzinfo=WARSAW)
DAY = NOW.date().replace(day=9)


def at(hour: int, minute: int = 0, *, day=DAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WARSAW)


def customer(name: str, postal_code: str, *, owner=None, lat=None, lon=None) -> Opportunity:
    account = Account.objects.create(
        name=name,
        kind=Account.Kind.PERSON,
        postal_code=postal_code,
        city="X",
        phone="500100200",
        latitude=lat,
        longitude=lon,
        street=f"{name} street 1",
    )
    return Opportunity.objects.create(account=account, name=f"PV {name}", owner=owner)


def field_salesperson(username: str, home: str, *, team=None, **settings) -> FieldDay:
    user = make_user(username, roles.FIELD_SALES, team=team)
    return FieldDay.objects.create(user=user, home_postal_code=home, **settings)
