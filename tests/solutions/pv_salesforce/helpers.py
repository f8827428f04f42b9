"""The queues' test personas and factories: a sales team, customers entering the queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from obieg.core import clock, roles
from obieg.crm.models import Account, ContactPerson, Lead, Opportunity
from obieg.solutions.pv_salesforce import queue
from obieg.solutions.pv_salesforce.models_queue import QueueItem, QueueRule, SellerDay
from tests.conftest import Org, make_user

WARSAW = ZoneInfo("Europe/Warsaw")
MONDAY = date(2026, 3, 2)  # an ordinary working Monday
TUESDAY = date(2026, 3, 3)
LABOUR_DAY = date(2026, 5, 1)  # a Friday and a public holiday


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WARSAW)


def morning(day: date = MONDAY, **kwargs):
    """The clock at 07:00 in Warsaw on `day`, before the first call."""
    return clock.frozen(at(day, 7), **kwargs)


@dataclass
class SalesTeam:
    org: Org
    manager: object  # sales_manager (Maria, the team's manager)
    paula: object  # phone_sales
    piotr: object  # phone_sales
    filip: object  # field_sales


def make_team(org: Org | None = None, *, capacity: int = 40) -> SalesTeam:
    """A sales team: two telephone salespeople, one field salesperson, their manager."""
    org = org or Org()
    team = org.sales_team
    paula = make_user("paula", roles.PHONE_SALES, team=team)
    piotr = make_user("piotr", roles.PHONE_SALES, team=team)
    filip = make_user("filip", roles.FIELD_SALES, team=team)
    for seller in (paula, piotr):
        SellerDay.objects.create(salesperson=seller, capacity=capacity, minutes_per_call=10)
    return SalesTeam(org=org, manager=org.manager, paula=paula, piotr=piotr, filip=filip)


_numbers = iter(range(1, 10**7))


def make_opportunity(
    team: SalesTeam,
    *,
    name: str | None = None,
    value: str = "30000.00",
    source: str = Lead.Source.WEB_FORM,
    postal_code: str = "31-042",
    phone: str = "+48 600 100 200",
) -> Opportunity:
    """A customer who left their details (a lead) and the opportunity converted from it."""
    number = next(_numbers)
    name = name or f"Klient {number}"
    account = Account.objects.create(
        name=name, kind=Account.Kind.PERSON, postal_code=postal_code, city="Kraków",
        owner=team.manager,
    )  # fmt: skip
    ContactPerson.objects.create(
        account=account, first_name="Jan", last_name=f"Kowalski {number}", phone=phone,
        is_primary=True,
    )  # fmt: skip
    opportunity = Opportunity.objects.create(
        account=account, name=f"PV {name}", value=Decimal(value), owner=team.manager
    )
    Lead.objects.create(
        source=source, contact_name=name, phone=phone, postal_code=postal_code,
        account=account, opportunity=opportunity, status=Lead.Status.CONVERTED,
    )  # fmt: skip
    return opportunity


def enqueue(team: SalesTeam, *, product: str = "", **kwargs) -> QueueItem:
    opportunity = make_opportunity(team, **kwargs)
    return queue.enqueue_opportunity(actor=team.manager, opportunity=opportunity, product=product)


def rule(position: int, name: str, points: int, **conditions) -> QueueRule:
    return QueueRule.objects.create(position=position, name=name, points=points, **conditions)
