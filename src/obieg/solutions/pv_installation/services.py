"""Starting PV cases and what the customer and the salesperson do outside task forms.

One transaction each. Records of the customer (offers, contracts,
documents) are written on behalf of the project's owner — the salesperson
who owns the customer — because the access policy lets only them change
the customer's records; who really acted is in the case history.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from obieg.core import access, roles
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.crm import services as crm
from obieg.crm.models import Lead, Opportunity
from obieg.engine.models import ACTIVE_CASE_STATUSES, Case
from obieg.engine.runtime import services as engine
from obieg.engine.runtime.services import subject_key
from obieg.sales import services as sales
from obieg.sales.models import Contract, Offer
from obieg.solutions.pv_installation import documents
from obieg.solutions.pv_installation.models import PVProject

PROCESS = "pv_installation"


def next_salesperson():
    """The active salesperson with the fewest PV projects: who gets a web lead."""
    users = get_user_model().objects.filter(is_active=True, groups__name=roles.SALESPERSON)
    return users.annotate(load=Count("pv_projects")).order_by("load", "pk").first()


def project_start(*, actor, lead: Lead, site_address: str = "") -> PVProject:
    """Turn a lead into a customer and an opportunity and start its PV case.

    `site_address` is the installation's street and number; with the lead's
    postal code and town it is the customer's address (a home installation).

    The records are committed first, then the case starts in the engine's
    own transaction: if its first step fails, the project stays with a
    stopped case an administrator retries (nothing the customer sent is lost).
    """
    project = _project_records(actor=actor, lead=lead, site_address=site_address)
    return _start_case(actor=actor, project=project, description=lead.description)


def project_start_for_opportunity(*, actor, opportunity: Opportunity) -> PVProject:
    """The hand-over of a won sale (the sales force's visit): the installation's case starts.

    Registered with `crm.opportunity_hooks` as "pv_installation", so the sales
    force starts it by name, once: the caller that closed the sale as won.
    A hand-over repeated after a failure finds the project already made and
    returns it, starting its case only if it has none.
    """
    project = _project_for_opportunity(opportunity)
    if project.case_id is not None:
        return project
    description = project.lead.description if project.lead else ""
    return _start_case(actor=actor, project=project, description=description)


@transaction.atomic
def _project_for_opportunity(opportunity: Opportunity) -> PVProject:
    opportunity = (
        Opportunity.objects.select_for_update().select_related("account").get(pk=opportunity.pk)
    )
    existing = PVProject.objects.filter(opportunity=opportunity).first()
    if existing is not None:
        return existing
    account = opportunity.account
    town = " ".join(filter(None, [account.postal_code, account.city]))
    return PVProject.objects.create(
        lead=Lead.objects.filter(opportunity=opportunity).first(),
        account=account,
        opportunity=opportunity,
        owner=opportunity.owner,
        site_address=", ".join(filter(None, [account.street, town])),
    )


def _start_case(*, actor, project: PVProject, description: str) -> PVProject:
    case = engine.start_case_keeping_records(
        process=PROCESS,
        actor=actor if getattr(actor, "pk", None) else None,
        subject=project,
        owner=project.owner,
        title=f"PV — {project.account.name}",
        # What the customer asked for goes with the case to the audit and beyond.
        data={"lead_description": description} if description else None,
    )
    PVProject.objects.filter(pk=project.pk).update(case=case)
    project.case = case
    return project


LEAD_FIELDS = ("contact_name", "email", "phone", "postal_code", "city", "description")


def lead_start(*, actor, data: dict) -> PVProject:
    """A salesperson's own lead (name, contact, address, what is wanted) and its PV case.

    The lead is theirs, and so is the audit the case opens with.
    """
    lead = crm.lead_create(
        actor=actor,
        data={
            "source": Lead.Source.SALESPERSON,
            **{name: data.get(name, "") for name in LEAD_FIELDS},
        },
    )
    return project_start(actor=actor, lead=lead, site_address=data.get("site_address", ""))


@transaction.atomic
def _project_records(*, actor, lead: Lead, site_address: str) -> PVProject:
    if not lead.owner_id:
        owner = actor if getattr(actor, "pk", None) else next_salesperson()
        if owner is None:
            raise ApplicationError(_("There is no salesperson to take the lead."))
        lead.owner = owner
        lead.save(update_fields=["owner"])
    owner = lead.owner
    street = site_address.strip()
    opportunity = crm.lead_convert(
        actor=owner,
        lead=lead,
        opportunity_name=f"PV — {lead.contact_name}"[:200],
        street=street,
        carried_on_by=PROCESS,
    )
    town = " ".join(filter(None, [lead.postal_code, lead.city]))
    # "ul. Polna 3, 31-100 Kraków"; a street already naming its town is kept as typed.
    named = lead.city and lead.city.casefold() in street.casefold()
    address = street if named or not town else ", ".join(filter(None, [street, town]))
    return PVProject.objects.create(
        lead=lead,
        account=opportunity.account,
        opportunity=opportunity,
        owner=owner,
        site_address=address,
    )


def _waiting_document(project: PVProject, kind: str, object_id: int):
    if kind == "offer":
        current = project.offer
        if current is None or current.pk != object_id:
            raise ApplicationError(_("This offer was replaced by a newer revision."))
        if current.status != Offer.Status.SENT:
            raise ApplicationError(_("This offer has already been answered."))
        return current
    current = project.contract
    if current is None or current.pk != object_id:
        raise ApplicationError(_("This contract is no longer current."))
    if current.status != Contract.Status.SENT:
        raise ApplicationError(_("This contract has already been answered."))
    return current


def _lock_waiting(project: PVProject, kind: str, object_id: int):
    locked = PVProject.objects.select_for_update(of=("self",)).select_related("case")
    project = locked.get(pk=project.pk)
    if project.case is None or project.case.status not in ACTIVE_CASE_STATUSES:
        raise ApplicationError(_("This case is closed; please contact your salesperson."))
    return project, _waiting_document(project, kind, object_id)


# The answer is recorded in its own transaction and then delivered to the case: if a
# step after it fails, the case stops in error with the message kept for a retry
# (engine.retry_case) instead of the customer's answer being lost with the rollback.


def customer_answer_offer(
    *, project: PVProject, offer_id: int, accept: bool, comment: str = ""
) -> None:
    """The customer accepts the offer or asks for changes (with a comment)."""
    comment = comment.strip()[:4000]
    if not accept and not comment:
        raise ApplicationError(
            _("Say what should change."), field_errors={"comment": [_("Say what should change.")]}
        )
    with transaction.atomic():
        project, offer = _lock_waiting(project, "offer", offer_id)
        # A refused revision stays readable: the next design supersedes it.
        status = Offer.Status.ACCEPTED if accept else Offer.Status.REJECTED
        sales.offer_set_status(actor=project.owner, offer=offer, status=status)
    engine.send_message(
        name="offer_answered",
        key=subject_key(project),
        payload={"offer_decision": "accept" if accept else "changes", "customer_comment": comment},
    )


def customer_answer_contract(
    *, project: PVProject, contract_id: int, accept: bool, comment: str = "", via: str = "link"
) -> None:
    """The customer accepts the contract or asks for changes (with a comment).

    Changes go back to the salesperson's revision, then to the manager's
    approval again, and a new version of the contract is sent.
    """
    comment = comment.strip()[:4000]
    if not accept and not comment:
        raise ApplicationError(
            _("Say what should change."), field_errors={"comment": [_("Say what should change.")]}
        )
    message = _contract_message(project)
    if message == LEGACY_CONTRACT_MESSAGE and not accept:
        raise ApplicationError(
            _("This contract can only be accepted here; please ask your salesperson for changes.")
        )
    with transaction.atomic():
        project, contract = _lock_waiting(project, "contract", contract_id)
        if accept:
            data = {"status": Contract.Status.SIGNED, "signed_on": timezone.localdate()}
        else:  # back to a draft until the revised version is approved and sent
            data = {"status": Contract.Status.DRAFT}
        sales.contract_update(actor=project.owner, contract=contract, data=data)
        if accept:  # the sale is made: won, for the contract's value
            advance_opportunity(project, Opportunity.Stage.WON, contract.value_net)
    payload = {"contract_decision": "accept" if accept else "changes", "customer_comment": comment}
    if accept:
        payload["contract_accepted_via"] = via
    engine.send_message(name=message, key=subject_key(project), payload=payload)


CONTRACT_MESSAGE = "contract_answered"
# Cases started before the customer could ask for changes wait for this one.
LEGACY_CONTRACT_MESSAGE = "contract_accepted"


def _contract_message(project: PVProject) -> str:
    """The message the project's case waits for: its process version decides."""
    case = Case.objects.filter(pk=project.case_id).first()
    waiting = engine.waiting_messages(case) if case is not None else set()
    return LEGACY_CONTRACT_MESSAGE if LEGACY_CONTRACT_MESSAGE in waiting else CONTRACT_MESSAGE


def customer_accept_contract(*, project: PVProject, contract_id: int, via: str = "link") -> None:
    """The customer accepts the contract (the link, or a signed scan uploaded for them)."""
    customer_answer_contract(project=project, contract_id=contract_id, accept=True, via=via)


def contract_scan_upload(*, actor, project: PVProject, file) -> None:
    """The signed scan of the contract came back: file it and go on as if accepted."""
    if not access.can_change(actor, project):
        raise PermissionDenied(_("Only the customer's salesperson can file the signed contract."))
    with transaction.atomic():
        project, _contract = _lock_waiting(project, "contract", project.contract_id)
        documents.store(
            project,
            actor=actor,
            kind="contract",
            title="Umowa — skan podpisany",
            content=file.read(),
            name=file.name or "umowa-skan.pdf",
        )
    customer_accept_contract(project=project, contract_id=project.contract_id, via="scan")


SCAN_KINDS = {"schematic": "Schemat instalacji", "photo": "Zdjęcie"}


@transaction.atomic
def project_file_upload(*, actor, project: PVProject, kind: str, file, comment: str = ""):
    """A schematic (designer), audit or installation photo (salesperson, installer).

    Whoever works on the project's case may add files; each is credited to its uploader.
    """
    if kind not in SCAN_KINDS:
        raise ApplicationError(_("Unknown file kind."), field_errors={"kind": [_("Unknown.")]})
    if not access.can_attach(actor, project):
        raise PermissionDenied(_("You do not work on this project."))
    return documents.store(
        project,
        actor=actor,
        kind=kind,
        title=f"{SCAN_KINDS[kind]} — {file.name}"[:200],
        content=file.read(),
        name=file.name or kind,
        comment=comment,
    )


def advance_opportunity(project: PVProject, stage: str, value) -> None:
    """The project's opportunity follows its case through the pipeline, with its value."""
    if project.opportunity_id:
        crm.opportunity_advance(
            actor=project.owner, opportunity=project.opportunity, stage=stage, value=value
        )


def project_of_case(case) -> PVProject:
    return PVProject.objects.select_related("account", "owner").get(
        Q(case=case) | Q(pk=case.subject_id)
    )
