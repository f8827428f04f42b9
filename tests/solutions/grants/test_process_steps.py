"""Steps of a grant project's case for the contract, schedule and process tests (no tests here).

Each helper does what a person does at one task, through the engine, so the
tests read as the project's story: start, plan the schedule, prepare, approve,
sign, submit, evaluate, agree, pay, wait out the durability period.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from obieg.core import clock
from obieg.crm.models import Opportunity
from obieg.engine.models import Case, WorkItem
from obieg.engine.runtime import services as engine
from obieg.solutions.grants import schedule, services
from obieg.solutions.grants.models import GrantProject

WARSAW = ZoneInfo("Europe/Warsaw")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=WARSAW)


START_MOMENT = datetime(2026, 3, 2, 9, tzinfo=WARSAW)  # a Monday


def frozen(moment: datetime):
    return clock.frozen(moment, all_threads=True)


def start_data(inst, **extra) -> dict:
    return {
        "title": "Nowa linia wypieku",
        "programme": "FENG 2021-2027",
        "call": "FENG.01.01-IP.02-001/26",
        "requested_amount": Decimal("400000.00"),
        "co_financing_rate": Decimal("70.00"),
        "coordinator": inst.coordinator,
        "success_fee_percent": Decimal("3.00"),
        "durability_years": 3,
        **extra,
    }


def opportunity(inst) -> Opportunity:
    return Opportunity.objects.create(
        account=inst.client, name="Dotacja na linię produkcyjną", owner=inst.advisor
    )


def start(inst, **extra) -> GrantProject:
    return services.project_start(
        actor=inst.advisor, opportunity=opportunity(inst), data=start_data(inst, **extra)
    )


def reload(project: GrantProject) -> GrantProject:
    return GrantProject.objects.select_related("application", "contract", "case").get(pk=project.pk)


def case_of(project: GrantProject) -> Case:
    return Case.objects.get(pk=reload(project).case_id)


def open_elements(project: GrantProject) -> list[str]:
    return sorted(
        WorkItem.objects.filter(case=case_of(project), status="open").values_list(
            "element_id", flat=True
        )
    )


def do(project: GrantProject, element_id: str, actor, **data) -> WorkItem:
    """Complete the project's open task `element_id` as `actor`, through the engine."""
    item = WorkItem.objects.get(case=case_of(project), status="open", element_id=element_id)
    return engine.complete(work_item=item, actor=actor, data=data)


def terms(inst, project, *, fixed="10000.00", starts=date(2026, 3, 2)):
    return schedule.set_terms(
        actor=inst.advisor,
        project=project,
        fixed_remuneration=Decimal(fixed),
        contract_starts_on=starts,
    )


def plan_fixed(inst, project, *, fee="12300.00", due=date(2026, 3, 31)) -> None:
    """One fixed fee: 10,000 net = 12,300 gross, the whole fixed remuneration."""
    terms(inst, project)
    schedule.add_fixed_fee(
        actor=inst.advisor, project=project, due_date=due, amount=Decimal(fee), description=""
    )


def prepare(project, inst, *, fixed="10000.00", starts="2026-03-02") -> None:
    do(
        project,
        "prepare_contract",
        inst.advisor,
        fixed_remuneration=fixed,
        contract_starts_on=starts,
        contract_ends_on="",
    )


def to_signature(inst, **extra) -> GrantProject:
    """Started, schedule planned, prepared and approved: the contract is with the client."""
    project = start(inst, **extra)
    plan_fixed(inst, project)
    prepare(project, inst)
    do(project, "approve_contract", inst.manager, contract_decision="approve", decision_note="")
    return reload(project)


def sign_by_link(project) -> None:
    from obieg.solutions.grants import links

    services.accept_by_link(token=links.contract_token(reload(project)))


def to_evaluation(inst, **extra) -> GrantProject:
    project = to_signature(inst, **extra)
    sign_by_link(project)
    do(
        project,
        "submit_application",
        inst.coordinator,
        application_number="FENG.01.01-IP.02-0042/26",
        submitted_on=clock.today().isoformat(),
    )
    return reload(project)
