"""Demo PV cases standing at every step, so each demo role has work in its inbox.

`obieg demo` calls `create_demo(org)` with its organisation (anything with
`.user(username)` for the demo logins salesperson, designer, sales_manager,
accountant and installer). Cases move only through the real services, so
every document, invoice, e-mail and calendar event is what a user would see.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from obieg.billing.models import CompanyProfile
from obieg.crm import services as crm
from obieg.engine.models import WorkItem
from obieg.engine.runtime import services as engine
from obieg.scheduling import crews as crew_services
from obieg.scheduling.models import Crew, Skill
from obieg.solutions.pv_installation import planning, services, signature
from obieg.solutions.pv_installation.models import PVProject

AUDIT = {
    "roof_type": "gable", "roof_covering": "tile", "roof_pitch": "35", "azimuth": "180",
    "usable_area": "60", "shading": "none", "annual_consumption_kwh": "6500", "tariff": "G11",
    "connection_power_kw": "14", "phases": "3", "operator": "Tauron",
    "ppe_number": "590310600000123456", "building_type": "residential",
}  # fmt: skip
DESIGN = {
    "panel_model": "JA Solar JAM54S30 450", "panel_wp": "450", "panel_count": "14",
    "inverter": "Fronius Symo 6.0-3-M", "mounting": "K2 Systems",
    "lines": "Moduł JA Solar 450 Wp | 14 | szt. | 420 | 610\n"
    "Falownik Fronius Symo 6.0 | 1 | szt. | 5200 | 6900\n"
    "Konstrukcja i montaż | 1 | kpl. | 3100 | 5200",
}  # fmt: skip
# Demo crews report work planned a week ahead (the early tick), and the part finished last
# hands the installation over with the customer's signature.
HANDOVER = {"customer_signature": signature.sample(), "signed_by": "Klient demo"}
ROOF = {
    "panel_serials": "JA0001\nJA0002", "roof_mounting_checked": "on", "roof_sealed": "on",
    "roof_confirm_early": "on", **HANDOVER,
}  # fmt: skip
ELECTRICAL = {
    "inverter_serial": "FR-2026-001", "dc_tests_done": "on", "grounding_checked": "on",
    "commissioned": "on", "electrical_confirm_early": "on", **HANDOVER,
}  # fmt: skip
CUSTOMERS = [
    ("Jan Kowalski", "Kraków"), ("Ewa Nowak", "Tarnów"), ("Piotr Wójcik", "Wieliczka"),
    ("Agnieszka Mazur", "Bochnia"), ("Marek Krawczyk", "Myślenice"),
    ("Katarzyna Zając", "Niepołomice"), ("Tomasz Król", "Skawina"),
    ("Magdalena Wróbel", "Olkusz"), ("Paweł Dudek", "Wadowice"),
    ("Barbara Stępień", "Kraków"), ("Michał Pawlak", "Tarnów"), ("Joanna Sikora", "Kraków"),
]  # fmt: skip
# How far each demo case goes, in order of the process.
STAGES = [
    "audit", "design", "offer_sent", "changes_requested", "approve_contract",
    "revise_contract", "contract_sent", "signed", "execution", "roof_done", "final_payment",
    "closed",
]  # fmt: skip


def _complete(project, element, actor, data=None):
    item = WorkItem.objects.get(case_id=project.case_id, status="open", element_id=element)
    engine.complete(work_item=item, actor=actor, data=data or {})


def _reload(project):
    return PVProject.objects.get(pk=project.pk)


def _profile() -> None:
    if not CompanyProfile.objects.exists():
        CompanyProfile.objects.create(
            name="Słoneczna Energia Sp. z o.o.", nip="5260250274", regon="146321453",
            street="ul. Żółkiewskiego 12/4", postal_code="31-539", city="Kraków",
            email="biuro@sloneczna.example", phone="+48 12 345 67 89",
            bank_account="PL61109010140000071219812874", bank_name="Bank Przykładowy S.A.",
            place_of_issue="Kraków", payment_days=14,
        )  # fmt: skip


def _crews(manager, installer) -> tuple[Crew, Crew]:
    made = []
    for code, skill_name, crew_name, kind in (
        ("roof", "Dach", "Ekipa Dachowa PV", "own"),
        ("electrical", "Elektryka", "Elektro-Serwis PV", "subcontractor"),
    ):
        skill = Skill.objects.get_or_create(code=code, defaults={"name": skill_name})[0]
        crew = Crew.objects.filter(name=crew_name).first() or crew_services.crew_create(
            actor=manager, data={"name": crew_name, "kind": kind}, members=[installer],
            skills=[skill],
        )  # fmt: skip
        made.append(crew)
    return made[0], made[1]


def _free_start(roof_crew: Crew, electrical_crew: Crew, after: date) -> date:
    day = after
    for _week in range(104):
        day += timedelta(days=(7 - day.weekday()) % 7 or 7)  # the next Monday
        data = {"start_date": day, "roof_days": 1, "electrical_days": 1}
        if all(
            planning.crew_is_free(crew, *planning.work_period(data, part))
            for crew, part in ((roof_crew, "roof"), (electrical_crew, "electrical"))
        ):
            return day
    raise RuntimeError("no free week for the demo crews")


def _advance(project, stage: str, users: dict, crews: tuple[Crew, Crew], start: date) -> None:
    """Walk one case forward until it stands at `stage`."""
    steps = STAGES.index(stage)
    paid = {"paid_on": timezone.localdate().isoformat(), "payment_reference": "Przelew demo"}
    if steps >= 1:
        _complete(project, "audit", users["salesperson"], AUDIT)
    if steps >= 2:
        _complete(project, "design", users["designer"], DESIGN)
    if steps >= 3:
        project = _reload(project)
        accept = stage not in ("offer_sent", "changes_requested")
        comment = "" if accept else "Proszę o wariant z magazynem energii."
        if stage != "offer_sent":
            services.customer_answer_offer(
                project=project, offer_id=project.offer_id, accept=accept, comment=comment
            )
    if steps >= 5:
        _complete(project, "approve_contract", users["sales_manager"], {
            "contract_approved": "no", "approval_comment": "Zaliczka 40%, proszę poprawić.",
        })  # fmt: skip
    if steps >= 6:
        _complete(project, "revise_contract", users["salesperson"], {"advance_percent": "40"})
        _complete(project, "approve_contract", users["sales_manager"], {"contract_approved": "yes"})
    if steps >= 7:
        project = _reload(project)
        services.customer_accept_contract(project=project, contract_id=project.contract_id)
    if steps >= 8:
        _complete(project, "record_advance_payment", users["accountant"], paid)
        _complete(project, "plan_works", users["sales_manager"], {
            "start_date": start.isoformat(), "roof_days": "1", "electrical_days": "1",
            "roof_crew": str(crews[0].pk), "electrical_crew": str(crews[1].pk),
        })  # fmt: skip
    if steps >= 9:
        _complete(project, "roof_work", users["installer"], ROOF)
    if steps >= 10:
        _complete(project, "electrical_work", users["installer"], ELECTRICAL)
    if steps >= 11:
        _complete(project, "record_final_payment", users["accountant"], paid)


def create_demo(org) -> list[PVProject]:
    """Twelve PV cases, one standing at each step of the process (skipped if any exist)."""
    if PVProject.objects.exists():
        return []
    names = ("salesperson", "designer", "sales_manager", "accountant", "installer")
    users = {name: org.user(name) for name in names}
    _profile()
    crews = _crews(users["sales_manager"], users["installer"])
    projects, start = [], timezone.localdate() + timedelta(days=7)
    for number, ((name, city), stage) in enumerate(zip(CUSTOMERS, STAGES, strict=True), 1):
        # Each engine step commits on its own (the engine owns its transactions).
        lead = crm.lead_create(actor=users["salesperson"], data={
            "source": "salesperson", "contact_name": name, "city": city,
            "postal_code": "30-001", "phone": "+48 600 100 200",
            "email": f"klient{number}.pv@example.com",
        })  # fmt: skip
        project = services.project_start(
            actor=users["salesperson"], lead=lead, site_address=f"ul. Słoneczna 5, {city}"
        )
        if STAGES.index(stage) >= 8:
            start = _free_start(*crews, start)
        _advance(project, stage, users, crews, start)
        projects.append(_reload(project))
    return projects
