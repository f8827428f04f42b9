"""Demo data of the expert-opinions firm: heads and staff, experts, inquiries at every step.

Called by `obieg demo` with the demo organisation (its users and
departments by code); idempotent: nothing is added when experts exist.
Every inquiry goes through the real services and the engine, so each has
its case, history, offer and PDF exactly as if the demo users had worked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from obieg.core import roles
from obieg.core.models import Department
from obieg.crm.models import Account, Activity
from obieg.engine import deploy
from obieg.engine.models import WorkItem
from obieg.engine.runtime import services as engine
from obieg.solutions.expert_opinions import services
from obieg.solutions.expert_opinions.models import Expert, Inquiry

# Identifier indexes far from the other demo data's, so NIPs never collide.
IDENTIFIER_BASE = 70_000_000

# username: (first name, last name, role or "", department code, heads it)
PEOPLE = {
    "construction_staff": ("Katarzyna", "Mazur", "", "construction", False),
    "road_head": ("Roman", "Krawczyk", roles.DEPARTMENT_HEAD, "road_accidents", True),
    "road_staff": ("Rafał", "Piotrowski", "", "road_accidents", False),
    "medicine_head": ("Małgorzata", "Grabowska", roles.DEPARTMENT_HEAD, "medicine", True),
    "it_head": ("Igor", "Pawłowski", roles.DEPARTMENT_HEAD, "it_forensics", True),
}

BUILD, VALUE, ROAD, MED, IT = (
    "construction",
    "real_estate_valuation",
    "road_accidents",
    "medicine",
    "it_forensics",
)
# name, title, rate, department codes, specialisation codes, busy for days (None: free), active
EXPERTS = (
    ("Jan Budowniczy", "inż.", "180", (BUILD,), (BUILD,), None, True),
    ("Ewa Rzeczoznawczyni", "mgr", "150", (BUILD,), (VALUE,), None, True),
    ("Adam Rekonstruktor", "dr inż.", "220", (ROAD,), (ROAD,), None, True),
    ("Piotr Drogowy", "mgr inż.", "160", (ROAD,), (ROAD,), 45, True),
    ("Anna Lekarska", "dr n. med.", "300", (MED, ROAD), (MED,), None, True),
    ("Tomasz Biegły", "lek.", "240", (MED,), (MED,), None, False),
    ("Marek Śledczy", "mgr inż.", "260", (IT,), (IT,), None, True),
    ("Beata Konstrukcja", "prof. dr hab. inż.", "350", (BUILD, IT), (BUILD,), 20, True),
)

# Clients: name, kind
CLIENTS = (
    ("Kancelaria Adwokacka Nowicki i Wspólnicy Sp. k.", Account.Kind.COMPANY),
    ("Towarzystwo Ubezpieczeń Bezpieczny Dom S.A.", Account.Kind.COMPANY),
    ("Wspólnota Mieszkaniowa Zielone Wzgórze", Account.Kind.COMPANY),
    ("Software Forensic Lab Sp. z o.o.", Account.Kind.COMPANY),
)


@dataclass(frozen=True)
class Story:
    """One inquiry of the demo and how far it has come."""

    client: int
    subject: str
    court: str
    case_reference: str
    department: str
    price: str  # net; the experts' hours set the cost
    hours: str
    step: str  # "new", "department", "head", "board", "sent", "commissioned", "rejected"


STORIES = (
    Story(0, "Ocena przyczyn zawilgocenia budynku", "", "", "construction", "0", "0", "new"),
    Story(
        1, "Rekonstrukcja wypadku na DK 94", "Sąd Rejonowy w Olkuszu", "II K 214/26",
        "road_accidents", "9000", "20", "department",
    ),
    Story(
        2, "Wycena nieruchomości gruntowej", "Sąd Okręgowy w Krakowie", "I C 1187/25",
        "construction", "6000", "16", "head",
    ),
    Story(
        1, "Opinia o uszczerbku na zdrowiu", "Sąd Okręgowy w Katowicach", "I C 77/26",
        "medicine", "6500", "20", "board",
    ),
    Story(
        0, "Opinia o wadach wykonawczych dachu", "", "", "construction", "8000", "20", "sent",
    ),
    Story(
        3, "Analiza śladów włamania do systemu", "Prokuratura Rejonowa Łódź-Bałuty",
        "PR 1 Ds. 345.2026", "it_forensics", "15000", "30", "commissioned",
    ),
    Story(
        2, "Opinia o przyczynach pęknięć elewacji", "", "", "construction", "5000", "25",
        "rejected",
    ),
)  # fmt: skip


def create_demo(org) -> list[Inquiry]:
    """Heads, staff, experts and seven inquiries at different steps; skipped when experts exist.

    `org` is the demo Organisation (`users` and `departments` by code).
    """
    if Expert.objects.exists():
        return []
    deploy.deploy_all()
    people = _people(org)
    departments = org.departments
    for name, title, rate, dept_codes, spec_codes, days, active in EXPERTS:
        expert = Expert.objects.create(
            name=name,
            title=title,
            email=f"{name.split()[-1].lower()}@biegli.demo.obieg.local",
            hourly_rate=Decimal(rate),
            available_from=timezone.localdate() + timedelta(days=days) if days else None,
            active=active,
        )
        expert.departments.set(departments[code] for code in dept_codes)
        expert.specialisations.set(
            s for code in dept_codes for s in departments[code].specialisations.all()
            if s.code in spec_codes
        )  # fmt: skip
    salesperson = org.user("salesperson")
    clients = [_client(salesperson, index, *spec) for index, spec in enumerate(CLIENTS)]
    return [_tell(story, clients, org, people) for story in STORIES]


def _people(org) -> dict:
    from obieg.demo.organisation import demo_password_hash

    password = demo_password_hash()
    people = {}
    for username, (first, last, role, code, heads) in PEOPLE.items():
        department = org.departments[code]
        user, _created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.obieg.local",
                "password": password,
                "department": department,
            },
        )
        if role:
            user.groups.add(Group.objects.get_or_create(name=role)[0])
        if heads and department.head_id is None:
            Department.objects.filter(pk=department.pk).update(head=user)
        people[username] = user
    return people


def _client(owner, index: int, name: str, kind: str) -> Account:
    from obieg.demo.identifiers import demo_nip

    return Account.objects.create(
        name=name,
        kind=kind,
        nip=demo_nip(IDENTIFIER_BASE + index),
        email=f"biuro{index}@klient.demo.obieg.local",
        street=f"ul. Sądowa {index + 3}",
        postal_code="31-100",
        city="Kraków",
        owner=owner,
    )


def _item(inquiry: Inquiry, element_id: str) -> WorkItem:
    return WorkItem.objects.get(case_id=inquiry.case_id, element_id=element_id, status="open")


def _do(inquiry: Inquiry, element_id: str, actor, **data) -> None:
    engine.complete(work_item=_item(inquiry, element_id), actor=actor, data=data)


def _tell(story: Story, clients: list[Account], org, people) -> Inquiry:
    """Start an inquiry from a meeting and take it as far as its story goes."""
    salesperson = org.user("salesperson")
    client = clients[story.client]
    meeting = Activity.objects.create(
        account=client,
        kind=Activity.Kind.MEETING,
        subject=f"Spotkanie: {story.subject}",
        occurs_at=timezone.now() - timedelta(days=7),
        owner=salesperson,
    )
    # The salesperson records that the meeting went well; that makes it an inquiry.
    services.meeting_record_outcome(
        actor=salesperson, meeting=meeting, outcome=Activity.Outcome.POSITIVE
    )
    inquiry = services.inquiry_from_meeting(
        actor=salesperson,
        meeting=meeting,
        subject=story.subject,
        court=story.court,
        case_reference=story.case_reference,
        requested_deadline=timezone.localdate() + timedelta(days=60),
    )
    if story.step == "new":
        return inquiry
    department = org.departments[story.department]
    _do(inquiry, "assign_department", org.user("secretariat"), department=department.pk)
    if story.step == "department":
        return inquiry
    head = Department.objects.get(pk=department.pk).head
    experts = list(
        Expert.objects.filter(active=True, departments=department, available_from__isnull=True)
    )[:1]
    _do(
        inquiry,
        "prepare_offer",
        head,
        scope="Analiza akt sprawy, oględziny i sporządzenie opinii pisemnej.",
        experts=[expert.pk for expert in experts],
        hours=story.hours,
        other_costs="200",
        price=story.price,
        vat_rate="23",
    )
    if story.step == "head":
        return inquiry
    _do(inquiry, "head_approval", head, head_decision="approve")
    if story.step in ("board", "rejected"):
        if story.step == "rejected":
            board = org.user("board")
            _do(inquiry, "board_approval", board, board_decision="reject", board_comment="Strata")
        return inquiry
    if story.step == "sent":
        return inquiry
    _do(inquiry, "record_answer", salesperson, client_answer="accepted")
    _do(
        inquiry,
        "commission_expert",
        head,
        opinion_due=(timezone.localdate() + timedelta(days=30)).isoformat(),
        commission_note="Proszę o kontakt z prokuraturą w sprawie dostępu do nośników.",
    )
    return inquiry
