"""The sales force of the large data set: 20 sellers in 4 teams.

The demo team (sales_manager with salesperson, phone_sales, field_sales) is
one of them, so logging in as a demo user shows a realistically full list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from obieg.core import roles
from obieg.core.models import Team, User
from obieg.demo.organisation import Organisation, demo_password_hash

REGIONS = (("polnoc", "Północ"), ("poludnie", "Południe"), ("zachod", "Zachód"))
GENERATED_SELLERS = 17  # plus the three demo sellers: 20
SELLERS_PER_REGION = 5
GENERATED_USERNAMES = [f"handlowiec{number:02d}" for number in range(1, GENERATED_SELLERS + 1)] + [
    f"kierownik_{code}" for code, _label in REGIONS
]


@dataclass(frozen=True)
class SalesForce:
    sellers: list[User]  # the first is `salesperson`, who owns the big account
    teams: list[Team]


@transaction.atomic
def ensure_sales_force(org: Organisation) -> SalesForce:
    password = demo_password_hash()
    seller_group = Group.objects.get(name=roles.SALESPERSON)
    manager_group = Group.objects.get(name=roles.SALES_MANAGER)
    teams = [org.sales_team]
    for code, label in REGIONS:
        manager = _user(f"kierownik_{code}", "Kierownik", label, manager_group, password)
        team, _created = Team.objects.get_or_create(
            name=f"Sprzedaż — region {label}", defaults={"manager": manager}
        )
        teams.append(team)
    sellers = [org.user("salesperson"), org.user("phone_sales"), org.user("field_sales")]
    for number in range(1, GENERATED_SELLERS + 1):
        # Two more in the demo team, then five per region.
        team = teams[0] if number <= 2 else teams[1 + (number - 3) // SELLERS_PER_REGION]
        seller = _user(
            f"handlowiec{number:02d}",
            "Handlowiec",
            f"{number:02d}",
            seller_group,
            password,
            team=team,
        )
        sellers.append(seller)
    return SalesForce(sellers=sellers, teams=teams)


def _user(username, first_name, last_name, group, password, *, team=None) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@demo.obieg.local",
            "password": password,  # the demo password, already hashed
            "team": team,
        },
    )
    if created:
        user.groups.add(group)
    return user
