"""The expert-opinions firm for tests: departments, experts, a client, and steps of a case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from obieg.billing.identifiers import ksef_accepts_nip
from obieg.core import clock, roles
from obieg.core.models import Department, Specialisation
from obieg.crm.models import Account, Activity
from obieg.engine import deploy
from obieg.engine.models import Case, WorkItem
from obieg.engine.runtime import services as engine
from obieg.solutions import expert_opinions
from obieg.solutions.expert_opinions import services
from obieg.solutions.expert_opinions.models import Expert, Inquiry
from tests.conftest import Org, make_user
from tests.factories import valid_nip

PROCESSES = Path(expert_opinions.__file__).parent / "processes"
SOLUTION = "expert_opinions"


def deploy_solution(folder: Path = PROCESSES):
    """Deploy the solution's models as `obieg migrate` does (same file names, so idempotent)."""
    sources = deploy.read_folder(folder, prefix=f"{SOLUTION}/")
    return deploy.deploy_groups([(SOLUTION, sources)])[0]


def client_nip(seed: int = 11) -> str:
    while not ksef_accepts_nip(nip := valid_nip(seed)):
        seed += 7919
    return nip


@dataclass
class Firm:
    """The personas of tests.conftest.Org plus the opinions firm around them."""

    org: Org
    road: Department
    secretariat_user: object
    kasia: object  # construction department staff
    roman: object  # head of road accidents
    rafal: object  # road accidents staff
    engineer: Expert
    surveyor: Expert
    driver: Expert
    client: Account

    def __getattr__(self, name):
        return getattr(self.org, name)


def make_firm(org: Org) -> Firm:
    building = Specialisation.objects.create(code="construction", name="Budownictwo")
    valuation = Specialisation.objects.create(code="valuation", name="Wycena nieruchomości")
    road_spec = Specialisation.objects.create(code="road_accidents", name="Wypadki drogowe")
    org.construction.specialisations.set([building, valuation])
    road = Department.objects.create(name="Road accidents", code="road_accidents")
    road.specialisations.set([road_spec])
    roman = make_user("roman", roles.DEPARTMENT_HEAD, department=road)
    road.head = roman
    road.save()
    firm = Firm(
        org=org,
        road=road,
        secretariat_user=make_user("sylwia", roles.SECRETARIAT),
        kasia=make_user("kasia", department=org.construction),
        roman=roman,
        rafal=make_user("rafal", department=road),
        engineer=_expert("inż. Jan Budowniczy", "150.00", [org.construction], [building]),
        surveyor=_expert("Ewa Rzeczoznawca", "100.00", [org.construction], [valuation]),
        driver=_expert("dr Adam Rekonstruktor", "200.00", [road], [road_spec]),
        client=Account.objects.create(
            name="Kancelaria Adwokacka Lex Sp. k.",
            nip=client_nip(),
            city="Kraków",
            postal_code="31-001",
            street="ul. Długa 1",
            email="biuro@lex.example",
            owner=org.sara,
        ),
    )
    return firm


def _expert(name, rate, departments, specialisations) -> Expert:
    expert = Expert.objects.create(name=name, hourly_rate=Decimal(rate), email="e@example.com")
    expert.departments.set(departments)
    expert.specialisations.set(specialisations)
    return expert


def meeting(
    firm: Firm,
    subject: str = "Spotkanie w sprawie opinii",
    *,
    held: bool = True,
    outcome: str = Activity.Outcome.POSITIVE,
) -> Activity:
    """Sara's meeting with the client: by default held an hour ago and recorded as positive."""
    if held:
        when, status = clock.now() - timedelta(hours=1), Activity.Status.DONE
    else:
        when, status, outcome = clock.now() + timedelta(days=1), Activity.Status.PLANNED, ""
    return Activity.objects.create(
        account=firm.client,
        kind=Activity.Kind.MEETING,
        subject=subject,
        occurs_at=when,
        status=status if outcome else Activity.Status.PLANNED,
        outcome=outcome,
        owner=firm.sara,
    )


def new_inquiry(firm: Firm, subject: str = "Opinia o pęknięciach budynku", **extra) -> Inquiry:
    return services.inquiry_from_meeting(
        actor=firm.sara, meeting=meeting(firm, subject), subject=subject, **extra
    )


def case_of(inquiry: Inquiry) -> Case:
    return Case.objects.get(pk=Inquiry.objects.get(pk=inquiry.pk).case_id)


def open_elements(inquiry: Inquiry) -> list[str]:
    return sorted(
        WorkItem.objects.filter(case=case_of(inquiry), status="open").values_list(
            "element_id", flat=True
        )
    )


def item(inquiry: Inquiry, element_id: str) -> WorkItem:
    return WorkItem.objects.get(case=case_of(inquiry), status="open", element_id=element_id)


def do(inquiry: Inquiry, element_id: str, actor, **data) -> WorkItem:
    """Complete the inquiry's open task `element_id` as `actor`, through the engine."""
    return engine.complete(work_item=item(inquiry, element_id), actor=actor, data=data)


def offer_data(firm: Firm, *, price="1000.00", hours="2", experts=None, other="0", **extra):
    experts = experts if experts is not None else [firm.engineer.pk]
    return {
        "scope": "Oględziny budynku i analiza dokumentacji",
        "experts": experts,
        "hours": hours,
        "other_costs": other,
        "price": price,
        "vat_rate": "23",
        **extra,
    }


def to_department(firm: Firm, inquiry: Inquiry, department=None) -> None:
    department = department or firm.construction
    do(inquiry, "assign_department", firm.secretariat_user, department=department.pk)


def prepared(firm: Firm, *, cost_hours="2", price="1000.00", **extra) -> Inquiry:
    """An inquiry at the construction department with an offer priced `price`.

    The engineer costs 150 zł an hour, so 2 hours cost 300 zł.
    """
    inquiry = new_inquiry(firm, **extra)
    to_department(firm, inquiry)
    do(inquiry, "prepare_offer", firm.head, **offer_data(firm, price=price, hours=cost_hours))
    return Inquiry.objects.get(pk=inquiry.pk)
