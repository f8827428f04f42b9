"""The demo company's organisation: role groups, departments, one user per role, the sales team.

Idempotent: running it again finds what exists and creates only what is
missing, and never resets a password someone has changed since.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from obieg.core import roles
from obieg.core.models import Department, Specialisation, Team, User

# Published in the README and printed by `obieg demo`: a demo, not a secret.
DEMO_PASSWORD = "obieg-demo"
SALES_TEAM = "Zespół sprzedaży PV"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    department: str = ""  # a Department code
    in_sales_team: bool = False


DEMO_USERS = (
    DemoUser("salesperson", "Sara", "Nowak", roles.SALESPERSON, in_sales_team=True),
    DemoUser("phone_sales", "Tomasz", "Wiśniewski", roles.PHONE_SALES, in_sales_team=True),
    DemoUser("field_sales", "Paweł", "Wójcik", roles.FIELD_SALES, in_sales_team=True),
    DemoUser("sales_manager", "Maria", "Kowalczyk", roles.SALES_MANAGER),
    DemoUser("designer", "Dorota", "Kamińska", roles.DESIGNER, department="design"),
    DemoUser("accountant", "Anna", "Lewandowska", roles.ACCOUNTANT),
    DemoUser("installer", "Igor", "Zieliński", roles.INSTALLER, department="installation"),
    DemoUser("secretariat", "Sylwia", "Szymańska", roles.SECRETARIAT, department="secretariat"),
    DemoUser("department_head", "Henryk", "Woźniak", roles.DEPARTMENT_HEAD, "construction"),
    DemoUser("board", "Bogdan", "Dąbrowski", roles.BOARD),
    DemoUser("coordinator", "Celina", "Jabłońska", roles.COORDINATOR, department="grants"),
    DemoUser("process_admin", "Paulina", "Mazur", roles.PROCESS_ADMIN),
    DemoUser("admin", "Adam", "Kozłowski", roles.ADMIN),
)

SPECIALISATIONS = {
    "pv_design": "Projektowanie instalacji fotowoltaicznych",
    "pv_installation": "Montaż instalacji fotowoltaicznych",
    "construction": "Budownictwo",
    "real_estate_valuation": "Wycena nieruchomości",
    "road_accidents": "Wypadki drogowe",
    "medicine": "Medycyna",
    "it_forensics": "Informatyka śledcza",
}

# code: (name, specialisation codes). The first two serve the PV processes
# (S1/S2), the expert departments the opinions firm (S4); the secretariat
# receives inquiries before they are assigned to a department; the grants
# department's coordinators run the grant projects (S3).
DEPARTMENTS = {
    "design": ("Dział projektowy PV", ("pv_design",)),
    "installation": ("Dział montażu", ("pv_installation",)),
    "construction": ("Dział budowlany", ("construction", "real_estate_valuation")),
    "road_accidents": ("Dział wypadków drogowych", ("road_accidents",)),
    "medicine": ("Dział medyczny", ("medicine",)),
    "it_forensics": ("Dział informatyki śledczej", ("it_forensics",)),
    "secretariat": ("Sekretariat", ()),
    "grants": ("Dział projektów dotacyjnych", ()),
}
EXPERT_DEPARTMENTS = ("construction", "road_accidents", "medicine", "it_forensics")


@dataclass
class Organisation:
    users: dict[str, User]  # by username
    departments: dict[str, Department]  # by code
    sales_team: Team

    def user(self, username: str) -> User:
        return self.users[username]


def demo_password_hash() -> str:
    """One hash for every demo user: hashing is deliberately slow (~0.3 s each)."""
    return make_password(DEMO_PASSWORD)


@transaction.atomic
def ensure_organisation() -> Organisation:
    """Create (or find) the groups, departments, demo users and the sales team."""
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in roles.GROUPS}
    specialisations = {
        code: Specialisation.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in SPECIALISATIONS.items()
    }
    departments = {}
    for code, (name, specialisation_codes) in DEPARTMENTS.items():
        department, created = Department.objects.get_or_create(code=code, defaults={"name": name})
        if created:
            department.specialisations.set(specialisations[c] for c in specialisation_codes)
        departments[code] = department

    password = None
    users = {}
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            password = password or demo_password_hash()
            is_admin = spec.role == roles.ADMIN
            # The password is set as a hash, bypassing the validators on purpose:
            # it must be the short, documented demo password.
            user = User.objects.create(
                username=spec.username,
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=f"{spec.username}@demo.obieg.local",
                password=password,
                department=departments.get(spec.department),
                is_staff=is_admin,
                is_superuser=is_admin,
            )
            user.groups.add(groups[spec.role])
        users[spec.username] = user

    team, _created = Team.objects.get_or_create(
        name=SALES_TEAM, defaults={"manager": users["sales_manager"]}
    )
    for spec in DEMO_USERS:
        if spec.in_sales_team and users[spec.username].team_id is None:
            users[spec.username].team = team
            users[spec.username].save(update_fields=["team"])
    construction = departments["construction"]
    if construction.head_id is None:
        construction.head = users["department_head"]
        construction.save(update_fields=["head"])
    return Organisation(users=users, departments=departments, sales_team=team)


def existing_demo_logins() -> list[tuple[str, str, str]]:
    """(username, password, role) of the demo users present in this database."""
    present = set(
        User.objects.filter(username__in=[u.username for u in DEMO_USERS]).values_list(
            "username", flat=True
        )
    )
    return [(u.username, DEMO_PASSWORD, u.role) for u in DEMO_USERS if u.username in present]
