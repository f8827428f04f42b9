"""Starting a grant project from an opportunity, and the client's answer to the contract.

The project's records (the project, its draft application, the draft
cooperation contract) are committed first; then its case starts in the
engine's own transaction (`start_case_keeping_records`): a failed first
step leaves the project with a stopped case an administrator retries.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from obieg.core import access, audit, clock, records, roles, sequences
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.crm.models import Opportunity
from obieg.engine.models import ACTIVE_CASE_STATUSES
from obieg.engine.runtime import services as engine
from obieg.sales import services as sales
from obieg.sales.models import Contract
from obieg.solutions.grants import links
from obieg.solutions.grants.models import HUNDRED, GrantApplication, GrantProject

PROCESS = "grant_project"
STARTING_ROLES = (*roles.SELLING_ROLES, roles.SALES_MANAGER)
CONTRACT_ACCEPTED = "grants_contract_accepted"


def refuse(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={field: [message]})


def may_start(user) -> bool:
    """Advisors, sales managers and administrators start grant projects."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (access.is_admin(user) or user.has_role(*STARTING_ROLES))
    )


def coordinators():
    return get_user_model().objects.filter(is_active=True, groups__name=roles.COORDINATOR)


def next_number() -> str:
    year = clock.today().year
    return f"IOB/{year}/{sequences.next_value(f'grants.project.{year}'):04}"


def _decimal(data: dict, name: str, *, low: Decimal, high: Decimal | None = None) -> Decimal:
    try:
        value = Decimal(str(data.get(name, "")).replace(",", ".").strip())
    except InvalidOperation as error:
        raise refuse(name, _("Enter a number.")) from error
    if not value.is_finite() or value < low or (high is not None and value > high):
        if high is None:
            message = _("Enter a number of at least %(low)s.") % {"low": low}
        else:
            message = _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
        raise refuse(name, message)
    return value


def _clean(opportunity: Opportunity, data: dict[str, Any]) -> dict[str, Any]:
    """Check the start data field by field; the first bad field is refused beside it."""
    cleaned: dict[str, Any] = {}
    for name in ("title", "programme", "call"):
        text = str(data.get(name) or "").strip()
        if not text:
            raise refuse(name, _("This field is required."))
        cleaned[name] = text[:200]
    cleaned["requested_amount"] = _decimal(data, "requested_amount", low=Decimal("0.01"))
    cleaned["co_financing_rate"] = _decimal(
        data, "co_financing_rate", low=Decimal("0.01"), high=HUNDRED
    )
    cleaned["success_fee_percent"] = _decimal(
        data, "success_fee_percent", low=Decimal(0), high=HUNDRED
    )
    years = str(data.get("durability_years", ""))
    if years not in ("3", "5"):
        raise refuse("durability_years", _("Choose 3 or 5 years."))
    cleaned["durability_years"] = int(years)
    coordinator = data.get("coordinator")
    coordinator_id = getattr(coordinator, "pk", coordinator)
    found = coordinators().filter(pk=coordinator_id).first() if coordinator_id else None
    if found is None:
        raise refuse("coordinator", _("Choose a project coordinator."))
    cleaned["coordinator"] = found
    return cleaned


@transaction.atomic
def _records(*, actor, opportunity: Opportunity, data: dict[str, Any]) -> GrantProject:
    opportunity = Opportunity.objects.select_related("account", "owner").get(pk=opportunity.pk)
    account = opportunity.account
    # The contract is the client's record: written by whoever may change the client (the
    # advisor who owns them); a manager starting the project does it in their name.
    writer = actor if access.can_change(actor, account) else (opportunity.owner or account.owner)
    if writer is None or not access.can_change(writer, account):
        raise PermissionDenied(_("You may not start a project for this client."))
    # A manager starting it leaves the project with the advisor who owns the opportunity.
    advisor = (
        actor
        if actor.has_role(*roles.SELLING_ROLES)
        else (opportunity.owner or account.owner or writer)
    )
    project = records.record_create(
        GrantProject,
        actor=actor,
        data={
            "number": next_number(),
            "title": data["title"],
            "account": account,
            "opportunity": opportunity,
            "advisor": advisor,
            "coordinator": data["coordinator"],
            "success_fee_percent": data["success_fee_percent"],
            "durability_years": data["durability_years"],
        },
    )
    records.record_create(
        GrantApplication,
        actor=actor,
        data={
            "project": project,
            "programme": data["programme"],
            "call": data["call"],
            "requested_amount": data["requested_amount"],
            "co_financing_rate": data["co_financing_rate"],
        },
    )
    # The contract is the client's paper: its title speaks the client's language.
    with translation.override(account.language or "pl"):
        contract_title = _("Cooperation contract: %(title)s") % {"title": data["title"]}
    contract = sales.contract_create(
        actor=writer,
        account=account,
        data={
            "title": contract_title[:200],
            "opportunity": opportunity,
            "owner": advisor,
        },
    )
    GrantProject.objects.filter(pk=project.pk).update(contract=contract)
    project.contract = contract
    _hand_to_coordinators(opportunity, data["coordinator"], actor=actor)
    return project


def _hand_to_coordinators(opportunity: Opportunity, coordinator, *, actor) -> None:
    """The coordinator's department takes the opportunity on, so they read the client too.

    Access follows departments: the coordinators read the client and the
    opportunity their project grew from. An opportunity already with a
    department keeps it.
    """
    if opportunity.department_id is not None or coordinator.department_id is None:
        return
    before = audit.snapshot(opportunity)
    Opportunity.objects.filter(pk=opportunity.pk, department__isnull=True).update(
        department=coordinator.department_id
    )
    opportunity.department_id = coordinator.department_id
    audit.record_update(opportunity, actor=actor, before=before)


def project_start(*, actor, opportunity: Opportunity, data: dict[str, Any]) -> GrantProject:
    """Start a grant project's realisation from an opportunity: records, then its case."""
    if not may_start(actor):
        raise PermissionDenied(_("Only advisors and managers start grant projects."))
    access.get_visible_or_404(Opportunity.objects.all(), actor, pk=opportunity.pk)
    cleaned = _clean(opportunity, data)
    project = _records(actor=actor, opportunity=opportunity, data=cleaned)
    case = engine.start_case_keeping_records(
        process=PROCESS,
        actor=actor,
        subject=project,
        owner=project.advisor,
        title=f"{project.number} — {project.account.name}",
        data={
            "project_id": project.pk,
            "project_number": project.number,
            "client": project.account.name,
            "advisor": project.advisor.username,
            "coordinator": project.coordinator.username,
            "contract_decision": "",
        },
    )
    GrantProject.objects.filter(pk=project.pk).update(case=case)
    project.case = case
    return project


def accept_by_link(*, token: str, accepted_on: date | None = None) -> GrantProject:
    """The client accepts the contract through the signed link; the waiting case goes on.

    A used, replaced or expired link changes nothing and says so.
    """
    project = links.project_for_contract_token(token)
    with transaction.atomic():
        project = (
            GrantProject.objects.select_for_update(of=("self",))
            .select_related("case", "contract")
            .get(pk=project.pk)
        )
        if project.case is None or project.case.status not in ACTIVE_CASE_STATUSES:
            raise ApplicationError(_("This project is closed; please contact your advisor."))
        if (
            project.status != GrantProject.Status.AWAITING_SIGNATURE
            or project.contract.status != Contract.Status.SENT
        ):
            raise ApplicationError(_("This contract has already been signed; thank you."))
    delivered = engine.send_message(
        name=CONTRACT_ACCEPTED,
        key=engine.subject_key(project),
        payload={
            "signed_by": "link",
            "signed_on": accepted_on or clock.today(),
        },
    )
    if not delivered:
        raise ApplicationError(_("This contract has already been signed; thank you."))
    project.refresh_from_db()
    return project


def open_item(project: GrantProject, element_id: str):
    """The project's open task `element_id`, if its case waits there."""
    from obieg.engine.models import WorkItem, WorkItemStatus

    if project.case_id is None:
        return None
    return WorkItem.objects.filter(
        case_id=project.case_id, element_id=element_id, status=WorkItemStatus.OPEN
    ).first()


def signed_scan_upload(*, actor, project: GrantProject, file, signed_on: date):
    """Store the client's signed contract (a PDF or a scan) and complete the signature task.

    The file's content is checked (a PDF or an image); the file is kept even
    if completing the task is then refused (a second upload adds a version).
    """
    from obieg.documents import services as documents
    from obieg.documents import validators
    from obieg.documents.models import Document
    from obieg.engine.runtime.permissions import ensure_may_work_on, may_work_on

    item = open_item(project, "upload_scan")
    if item is None:
        raise ApplicationError(_("The contract is not waiting for a signature."))
    # The task is the advisor's; the project's coordinator files a scan the client sent them
    # too, delivered to the case like the client's acceptance by the link.
    by_task = may_work_on(item, actor)
    if not by_task and not may_file_scan(actor, project):
        ensure_may_work_on(item, actor)
    with transaction.atomic():
        document = documents.document_upload(
            actor=actor,
            title=(_("Signed contract %(number)s") % {"number": project.contract.number})[:200],
            kind=Document.Kind.CONTRACT,
            file=file,
            account=project.account,
            subject=project,
            accept=validators.PDF_OR_IMAGE,
        )
    data = {"signed_scan_document": document.pk, "signed_on": signed_on.isoformat()}
    if by_task:
        engine.complete(work_item=item, actor=actor, data=data)
    else:
        engine.send_message(
            name=CONTRACT_ACCEPTED,
            key=engine.subject_key(project),
            payload={**data, "signed_by": "scan"},
            actor=actor,
        )
    return document


def may_file_scan(user, project: GrantProject) -> bool:
    """The project's coordinator files the signed contract as well as the advisor."""
    return bool(project.coordinator_id and project.coordinator_id == getattr(user, "pk", None))
