"""Walking a PV case through its tasks, as the people of each role would."""

from __future__ import annotations

from datetime import date

from obieg.crm import services as crm
from obieg.engine.models import Case, WorkItem
from obieg.engine.runtime import services as engine
from obieg.solutions.pv_installation import services
from obieg.solutions.pv_installation.models import PVProject

AUDIT = {
    "roof_type": "gable",
    "roof_covering": "tile",
    "roof_pitch": "35",
    "azimuth": "180",
    "usable_area": "60",
    "shading": "none",
    "annual_consumption_kwh": "6500",
    "tariff": "G11",
    "connection_power_kw": "14",
    "phases": "3",
    "operator": "Tauron",
    "ppe_number": "590310600000123456",
    "building_type": "residential",
}
LINES = (
    "Moduł JA Solar 450 Wp | 14 | szt. | 420 | 610\n"
    "Falownik Fronius Symo 6.0 | 1 | szt. | 5200 | 6900\n"
    "Konstrukcja i montaż | 1 | kpl. | 3100 | 5200"
)
DESIGN = {
    "panel_model": "JA Solar JAM54S30 450",
    "panel_wp": "450",
    "panel_count": "14",
    "inverter": "Fronius Symo 6.0-3-M",
    "mounting": "K2 Systems",
    "lines": LINES,
}
NET = 14 * 610 + 6900 + 5200  # 20,640 zł net


def open_items(case) -> list[str]:
    return sorted(
        WorkItem.objects.filter(case=case, status="open").values_list("element_id", flat=True)
    )


def complete(case, element: str, actor, data: dict | None = None):
    item = WorkItem.objects.get(case=case, status="open", element_id=element)
    return engine.complete(work_item=item, actor=actor, data=data or {})


def reload(project: PVProject) -> PVProject:
    return PVProject.objects.get(pk=project.pk)


def case_of(project: PVProject) -> Case:
    return Case.objects.get(pk=project.case_id)


def new_project(org, *, email="jan.kowalski@example.com") -> PVProject:
    lead = crm.lead_create(
        actor=org.sara,
        data={
            "source": "salesperson",
            "contact_name": "Jan Kowalski",
            "email": email,
            "phone": "+48 600 100 200",
            "postal_code": "30-001",
            "city": "Kraków",
        },
    )
    return services.project_start(actor=org.sara, lead=lead, site_address="ul. Słoneczna 5")


def to_offer(org, project: PVProject, **design) -> PVProject:
    case = case_of(project)
    complete(case, "audit", org.sara, AUDIT)
    complete(case, "design", org.designer, {**DESIGN, **design})
    return reload(project)


def accept_offer(project: PVProject) -> None:
    services.customer_answer_offer(project=project, offer_id=project.offer_id, accept=True)


def to_contract_sent(org, project: PVProject) -> PVProject:
    project = to_offer(org, project)
    accept_offer(project)
    complete(case_of(project), "approve_contract", org.manager, {"contract_approved": "yes"})
    return reload(project)


def plan(org, project, roof_crew, electrical_crew, start: date):
    complete(
        case_of(project),
        "plan_works",
        org.manager,
        {
            "start_date": start.isoformat(),
            "roof_days": "1",
            "electrical_days": "1",
            "roof_crew": str(roof_crew.pk),
            "electrical_crew": str(electrical_crew.pk),
        },
    )
