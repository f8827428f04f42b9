"""Service-task actions of the grant project process, registered with the engine by name.

Each runs inside the engine's step (one transaction with the person's
completion) and keeps `GrantProject.status` and `GrantApplication.status`
in step with the process. A refusal raises `ApplicationError` with field
errors, so the engine returns it to the person's form and changes nothing.
Records of the client (the contract, its documents) are written in the
advisor's name when the person who acted may not change them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from obieg.billing.models import ScheduleItem
from obieg.core import access, audit, clock
from obieg.core.errors import ApplicationError
from obieg.core.money import ZERO
from obieg.documents.models import Document
from obieg.engine.registry import ActionContext
from obieg.sales import services as sales
from obieg.sales.models import Contract
from obieg.solutions.grants import contract_documents, schedule
from obieg.solutions.grants.models import GrantApplication, GrantProject

Status = GrantProject.Status
AppStatus = GrantApplication.Status


def refuse(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={field: [message]})


def project_of(ctx: ActionContext, *, lock: bool = True) -> GrantProject:
    # The case's subject, not a value of the case data: forms cannot redirect it.
    projects = GrantProject.objects.select_related("account", "application", "contract", "advisor")
    if lock:
        projects = projects.select_for_update(of=("self",))
    return projects.get(pk=ctx.case.subject_id)


def writer(ctx: ActionContext, project: GrantProject):
    """Who writes the client's records in this step: the person, or else the advisor."""
    if ctx.actor is not None and access.can_change(ctx.actor, project.contract):
        return ctx.actor
    return project.advisor


def set_status(ctx: ActionContext, project: GrantProject, status: str, **fields) -> None:
    before = audit.snapshot(project)
    project.status = status
    for name, value in fields.items():
        setattr(project, name, value)
    project.save(update_fields=["status", *fields, "updated_at"])
    audit.record_update(project, actor=ctx.actor, before=before)


def set_application(ctx: ActionContext, project: GrantProject, **fields) -> None:
    application = GrantApplication.objects.select_for_update().get(project=project)
    before = audit.snapshot(application)
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(update_fields=[*fields, "updated_at"])
    audit.record_update(application, actor=ctx.actor, before=before)
    project.application = application


def set_contract(ctx: ActionContext, project: GrantProject, **data) -> Contract:
    contract = sales.contract_update(
        actor=writer(ctx, project), contract=project.contract, data=data
    )
    project.contract = contract
    return contract


# --- the contract ---------------------------------------------------------------------------


def save_contract(ctx: ActionContext) -> dict[str, Any]:
    """The advisor's contract goes to the manager: its value, its dates, its schedule checked."""
    project = project_of(ctx)
    if not ScheduleItem.objects.filter(contract=project.contract).exists():
        raise refuse("fixed_remuneration", _("Plan the contract's payments first."))
    value = schedule.set_terms(
        actor=writer(ctx, project),
        project=project,
        fixed_remuneration=ctx.data["fixed_remuneration"],
        contract_starts_on=ctx.data["contract_starts_on"],
        contract_ends_on=ctx.data.get("contract_ends_on"),
        status=Contract.Status.AWAITING_APPROVAL,
    )
    set_status(ctx, project_of(ctx), Status.CONTRACT_APPROVAL)
    return {
        "contract_value_net": value.net,
        "contract_value_gross": value.gross,
        "contract_decision": "",
    }


def contract_returned(ctx: ActionContext) -> dict[str, Any]:
    """The manager returned the contract: back to the advisor, the schedule editable again."""
    project = project_of(ctx)
    set_contract(ctx, project, status=Contract.Status.DRAFT)
    set_status(ctx, project, Status.CONTRACT)
    return {"returned_note": ctx.data.get("decision_note", "")}


def send_contract(ctx: ActionContext) -> dict[str, Any]:
    """Approved: draw the contract (PDF, DOCX) and send it to the client with the signing link."""
    project = project_of(ctx)
    set_contract(ctx, project, status=Contract.Status.APPROVED)
    contract_documents.generate(project, actor=writer(ctx, project))
    set_contract(ctx, project, status=Contract.Status.SENT)
    set_status(ctx, project, Status.AWAITING_SIGNATURE)
    mailed = contract_documents.mail_to_client(project)
    return {"contract_sent_on": clock.today(), "contract_mailed": mailed}


def contract_signed(ctx: ActionContext) -> dict[str, Any]:
    """Signed, by the client's link or by the uploaded scan: the application work starts."""
    project = project_of(ctx)
    if project.contract.status == Contract.Status.SIGNED:
        return {}
    signed_on = ctx.data.get("signed_on") or clock.today()
    if isinstance(signed_on, str):
        signed_on = date.fromisoformat(signed_on)
    scan_id = ctx.data.get("signed_scan_document") if ctx.data.get("signed_by") != "link" else None
    scan = None
    if scan_id:
        scan = Document.objects.filter(
            pk=scan_id, account_id=project.account_id, kind=Document.Kind.CONTRACT
        ).first()
        if scan is None:
            raise refuse("signed_scan_document", _("There is no signed contract with this number."))
    if signed_on > clock.today():
        raise refuse("signed_on", _("The date cannot be in the future."))
    set_contract(ctx, project, status=Contract.Status.SIGNED, signed_on=signed_on)
    fields = {"signed_scan": scan} if scan is not None else {}
    set_status(ctx, project, Status.APPLICATION, **fields)
    return {"contract_signed_on": signed_on, "signed_by": "scan" if scan else "link"}


# --- the grant application ------------------------------------------------------------------


def application_submitted(ctx: ActionContext) -> dict[str, Any]:
    project = project_of(ctx)
    set_application(
        ctx,
        project,
        application_number=ctx.data["application_number"].strip(),
        submitted_on=ctx.data["submitted_on"],
        status=AppStatus.SUBMITTED,
    )
    return {}


def evaluation_recorded(ctx: ActionContext) -> dict[str, Any]:
    """Under evaluation, approved (the awarded grant) or rejected, on a date."""
    project = project_of(ctx)
    result, on = ctx.data["evaluation"], ctx.data["decided_on"]
    submitted = project.application.submitted_on
    if submitted and on < submitted:
        raise refuse("decided_on", _("The date cannot precede the application's submission."))
    if result == "under_evaluation":
        set_application(ctx, project, status=AppStatus.UNDER_EVALUATION)
        return {}
    if result == "approved":
        awarded = ctx.data.get("awarded_amount")
        if awarded is None or awarded > project.application.requested_amount:
            raise refuse("awarded_amount", _("The awarded grant must not exceed the requested."))
        set_application(
            ctx, project, status=AppStatus.APPROVED, awarded_amount=awarded, decided_on=on
        )
        return {}
    set_application(ctx, project, status=AppStatus.REJECTED, decided_on=on)
    return {}


def add_success_fee(ctx: ActionContext) -> dict[str, Any]:
    """The grant is approved: the success fee appears on the schedule, due on the decision date."""
    project = project_of(ctx, lock=False)
    application = project.application
    if project.success_fee_percent <= 0:
        return {"success_fee": ZERO}
    item = schedule.add_success_fee(
        actor=ctx.actor or project.advisor,
        project=project,
        awarded=application.awarded_amount,
        on=application.decided_on,
    )
    return {"success_fee": item.amount, "success_fee_item": item.pk}


def grant_rejected(ctx: ActionContext) -> dict[str, Any]:
    """Rejected: the project ends; the fixed fees on the schedule stay due."""
    set_status(ctx, project_of(ctx), Status.REJECTED)
    return {}


def agreement_recorded(ctx: ActionContext) -> dict[str, Any]:
    """The grant agreement is signed: its dates, realisation, and the payment claims planned."""
    from obieg.solutions.grants import claims

    project = project_of(ctx)
    data = ctx.data
    if data["agreement_signed_on"] < (project.application.decided_on or date.min):
        raise refuse("agreement_signed_on", _("The agreement cannot precede the grant decision."))
    set_application(
        ctx,
        project,
        status=AppStatus.AGREEMENT_SIGNED,
        agreement_signed_on=data["agreement_signed_on"],
        grant_received_on=data["grant_received_on"],
        realisation_starts_on=data["realisation_starts_on"],
        realisation_ends_on=data["realisation_ends_on"],
    )
    set_status(ctx, project, Status.REALISATION)
    planned = claims.plan_claims(
        actor=ctx.actor,
        project=project,
        advance_amount=data["advance_amount"],
        interim_months=data["interim_months"],
        days_to_file=data["days_to_file"],
    )
    return {"claims_planned": len(planned)}


def final_payment_recorded(ctx: ActionContext) -> dict[str, Any]:
    """The final payment arrived: the durability period starts; the timer waits for its end."""
    from obieg.solutions.grants import durability

    project = project_of(ctx, lock=False)
    durability.start(
        actor=ctx.actor, project=project, final_payment_on=ctx.data["final_payment_on"]
    )
    ends_on = GrantProject.objects.values_list("durability_ends_on", flat=True).get(pk=project.pk)
    return {"durability_ends_on": ends_on}


def close_durability(ctx: ActionContext) -> dict[str, Any]:
    """The durability period is over: the project is closed."""
    from obieg.solutions.grants import durability

    durability.close(project=project_of(ctx, lock=False))
    return {}


ACTIONS = {
    "grants.save_contract": save_contract,
    "grants.contract_returned": contract_returned,
    "grants.send_contract": send_contract,
    "grants.contract_signed": contract_signed,
    "grants.application_submitted": application_submitted,
    "grants.evaluation_recorded": evaluation_recorded,
    "grants.add_success_fee": add_success_fee,
    "grants.grant_rejected": grant_rejected,
    "grants.agreement_recorded": agreement_recorded,
    "grants.final_payment_recorded": final_payment_recorded,
    "grants.close_durability": close_durability,
}
