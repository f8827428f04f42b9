"""Writes of CRM records; each function is one transaction and leaves an audit entry."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from obieg.core import access, clock, records
from obieg.core.errors import ApplicationError
from obieg.crm import activity_hooks, opportunity_hooks
from obieg.crm.models import Account, Activity, ContactPerson, Lead, Opportunity


def account_create(*, actor, data: dict[str, Any]) -> Account:
    access.ensure_may_create(actor)
    data = {"owner": actor, **data}
    return records.record_create(Account, actor=actor, data=data)


def account_update(*, actor, account: Account, data: dict[str, Any], revision=None) -> Account:
    access.ensure_can_change(actor, account)
    return records.record_update(account, actor=actor, data=data, revision=revision)


def account_delete(*, actor, account: Account) -> None:
    access.ensure_can_change(actor, account)
    records.record_delete(account, actor=actor)


def contact_create(*, actor, account: Account, data: dict[str, Any]) -> ContactPerson:
    access.ensure_can_change(actor, account)
    return records.record_create(ContactPerson, actor=actor, data={**data, "account": account})


def contact_update(*, actor, contact: ContactPerson, data: dict[str, Any], revision=None):
    access.ensure_can_change(actor, contact)
    return records.record_update(contact, actor=actor, data=data, revision=revision)


def contact_delete(*, actor, contact: ContactPerson) -> None:
    access.ensure_can_change(actor, contact)
    records.record_delete(contact, actor=actor)


@transaction.atomic
def activity_create(*, actor, account: Account, data: dict[str, Any]) -> Activity:
    access.ensure_can_change(actor, account)
    data = {"owner": actor, **data, "account": account}
    activity = records.record_create(Activity, actor=actor, data=data)
    activity_hooks.saved(activity=activity, actor=actor, created=True)
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, data: dict[str, Any], revision=None):
    access.ensure_can_change(actor, activity)
    activity = records.record_update(activity, actor=actor, data=data, revision=revision)
    activity_hooks.saved(activity=activity, actor=actor, created=False)
    return activity


def activity_delete(*, actor, activity: Activity) -> None:
    access.ensure_can_change(actor, activity)
    records.record_delete(activity, actor=actor)


def lead_create(*, actor, data: dict[str, Any]) -> Lead:
    if actor is not None and getattr(actor, "pk", None):
        access.ensure_may_create(actor)
        data = {"owner": actor, **data}
    return records.record_create(Lead, actor=actor, data=data)


@transaction.atomic
def lead_update(*, actor, lead: Lead, data: dict[str, Any], revision=None) -> Lead:
    access.ensure_can_change(actor, lead)
    # The caller's copy may predate a conversion: decide on the locked row.
    current = Lead.objects.select_for_update().get(pk=lead.pk)
    if current.status == Lead.Status.CONVERTED:
        raise ApplicationError(_("A converted lead can no longer be changed."))
    return records.record_update(current, actor=actor, data=data, revision=revision)


@transaction.atomic
def lead_convert(
    *,
    actor,
    lead: Lead,
    account: Account | None = None,
    opportunity_name: str = "",
    value=0,
    street: str = "",
    carried_on_by: str = "",
) -> Opportunity:
    """Turn a lead into an account (new or existing), a contact and an opportunity.

    `street` completes a new account's address (leads keep a postal code and
    town only): offers, contracts and VAT invoices name the buyer's full address.
    `carried_on_by` names the solution converting the lead for its own work;
    without it the opportunity is a plain one that listeners may take up
    (`opportunity_hooks.opened`, e.g. the sales force's queue).
    """
    access.ensure_can_change(actor, lead)
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.status == Lead.Status.CONVERTED:
        raise ApplicationError(_("This lead has already been converted."))
    if lead.status == Lead.Status.DISQUALIFIED:
        raise ApplicationError(_("A disqualified lead cannot be converted."))
    owner = lead.owner or actor
    if account is None:
        is_company = bool(lead.company_name)
        account = records.record_create(
            Account,
            actor=actor,
            data={
                "kind": Account.Kind.COMPANY if is_company else Account.Kind.PERSON,
                "name": lead.company_name or lead.contact_name,
                "nip": lead.nip if is_company else "",
                "email": lead.email,
                "phone": lead.phone,
                "street": street.strip(),
                "postal_code": lead.postal_code,
                "city": lead.city,
                "owner": owner,
            },
        )
    else:
        access.ensure_can_change(actor, account)
    first, _sep, last = lead.contact_name.strip().partition(" ")
    records.record_create(
        ContactPerson,
        actor=actor,
        data={
            "account": account,
            "first_name": first or lead.contact_name,
            "last_name": last or "-",
            "email": lead.email,
            "phone": lead.phone,
            "is_primary": not account.contacts.exists(),
        },
    )
    opportunity = records.record_create(
        Opportunity,
        actor=actor,
        data={
            "account": account,
            "name": opportunity_name or lead.description[:200] or str(lead),
            "value": value,
            "owner": owner,
            "department": lead.department,
        },
    )
    records.record_update(
        lead,
        actor=actor,
        data={"status": Lead.Status.CONVERTED, "account": account, "opportunity": opportunity},
    )
    opportunity_hooks.opened(
        opportunity=opportunity, lead=lead, actor=actor, carried_on_by=carried_on_by
    )
    return opportunity


def opportunity_create(*, actor, account: Account, data: dict[str, Any]) -> Opportunity:
    access.ensure_can_change(actor, account)
    data = {"owner": actor, **data, "account": account}
    stage = data.get("stage", Opportunity.Stage.QUALIFICATION)
    data.setdefault("probability", Opportunity.DEFAULT_PROBABILITY.get(stage, 10))
    if stage in (Opportunity.Stage.WON, Opportunity.Stage.LOST):
        data.setdefault("closed_at", clock.now())
    return records.record_create(Opportunity, actor=actor, data=data)


def opportunity_update(
    *, actor, opportunity: Opportunity, data: dict[str, Any], revision=None
) -> Opportunity:
    access.ensure_can_change(actor, opportunity)
    if "stage" in data and data["stage"] != opportunity.stage:
        data = {**data, **_stage_side_effects(data["stage"], data)}
    return records.record_update(opportunity, actor=actor, data=data, revision=revision)


def opportunity_move_stage(*, actor, opportunity: Opportunity, stage: str) -> Opportunity:
    """Move an opportunity to another pipeline stage (e.g. a kanban drag)."""
    if stage not in Opportunity.Stage.values:
        raise ApplicationError(_("Unknown stage."), field_errors={"stage": [_("Unknown stage.")]})
    return opportunity_update(actor=actor, opportunity=opportunity, data={"stage": stage})


# The way forward through the pipeline; lost is closed too, but not a step on it.
STAGE_ORDER = (
    Opportunity.Stage.QUALIFICATION,
    Opportunity.Stage.NEEDS_ANALYSIS,
    Opportunity.Stage.PROPOSAL,
    Opportunity.Stage.NEGOTIATION,
    Opportunity.Stage.WON,
)


@transaction.atomic
def opportunity_advance(*, actor, opportunity: Opportunity, stage: str, value=None) -> Opportunity:
    """Move an opportunity on as the work behind it advances, carrying the current value.

    For processes: an offer sent makes it a proposal, a contract a negotiation,
    the customer's signature a win. It never goes back (a second offer round
    leaves a negotiation where it is, only its value follows), and a closed one
    (won or lost) is left as it stands. The probability follows the stage.
    """
    if stage not in STAGE_ORDER:
        raise ApplicationError(_("Unknown stage."), field_errors={"stage": [_("Unknown stage.")]})
    current = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if not current.is_open:
        return current
    data: dict[str, Any] = {}
    if STAGE_ORDER.index(stage) > STAGE_ORDER.index(current.stage):
        data["stage"] = stage
    if value is not None and value != current.value:
        data["value"] = value
    if not data:
        return current
    return opportunity_update(actor=actor, opportunity=current, data=data)


def _stage_side_effects(stage: str, data: dict[str, Any]) -> dict[str, Any]:
    if stage not in Opportunity.DEFAULT_PROBABILITY:
        return {}  # full_clean refuses the unknown stage with a field error
    effects: dict[str, Any] = {}
    if "probability" not in data:
        effects["probability"] = Opportunity.DEFAULT_PROBABILITY[stage]
    closed = stage in (Opportunity.Stage.WON, Opportunity.Stage.LOST)
    effects["closed_at"] = clock.now() if closed else None
    return effects


def opportunity_delete(*, actor, opportunity: Opportunity) -> None:
    access.ensure_can_change(actor, opportunity)
    records.record_delete(opportunity, actor=actor)
