"""Writes of offers and contracts; one transaction each, audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from obieg.catalogue.models import Product
from obieg.core import access, audit, records, sequences
from obieg.core.errors import ApplicationError, Conflict
from obieg.core.models import AuditAction
from obieg.core.money import ZERO, document_totals, fits_money_field
from obieg.crm.models import Account, Opportunity
from obieg.sales.models import Contract, Offer, OfferLine

LINE_FIELDS = (
    "product",
    "description",
    "quantity",
    "unit",
    "unit_cost",
    "unit_price",
    "vat_rate",
)


def _next_number(prefix: str, model) -> str:
    """The next `PREFIX/YYYY/NNNNN` reference number, from a locked per-year counter."""
    stem = f"{prefix}/{timezone.localdate().year}/"

    def highest_stored() -> int:
        last = model._default_manager.filter(number__startswith=stem).aggregate(m=Max("number"))
        return int(last["m"].rsplit("/", 1)[1]) if last["m"] else 0

    return f"{stem}{sequences.next_value(stem, start_after=highest_stored):05d}"


def _offer_recalculate(offer: Offer) -> None:
    lines = list(offer.lines.all())
    totals = document_totals((line.vat_rate, line.net) for line in lines)
    offer.total_net = totals.net
    offer.total_vat = totals.vat
    offer.total_gross = totals.gross
    offer.total_cost = sum((line.cost for line in lines), ZERO)
    amounts = (offer.total_net, offer.total_vat, offer.total_gross, offer.total_cost)
    if not all(fits_money_field(amount) for amount in amounts):
        # Caught here, not by the database: PostgreSQL would fail with a 500 and
        # SQLite would silently store a value no NUMERIC(14,2) can hold.
        message = _("The offer's totals are too large; split it into several offers.")
        raise ApplicationError(message, field_errors={"lines": [message]})
    offer.save(update_fields=["total_net", "total_vat", "total_gross", "total_cost"])


def _ensure_editable(offer: Offer) -> None:
    if offer.status != Offer.Status.DRAFT:
        raise ApplicationError(
            _("Only a draft offer can be changed; create a new revision instead.")
        )


def _clean_lines(
    offer: Offer, lines: list[dict[str, Any]], kept_products: frozenset[int] = frozenset()
) -> list[OfferLine]:
    """Lines ready to insert, or every line's errors.

    A catalogue item withdrawn from sale stays on the lines that had it
    (`kept_products`) but cannot be put on a new one.
    """
    built, errors = [], {}
    named = {getattr(data.get("product"), "pk", None) for data in lines} - {None, *kept_products}
    # Read from the table, not from the callers' copies, which may predate a withdrawal.
    withdrawn = set(Product.objects.filter(pk__in=named, active=False).values_list("pk", flat=True))
    for index, line_data in enumerate(lines, start=1):
        line = OfferLine(
            offer=offer, position=index, **{k: v for k, v in line_data.items() if k in LINE_FIELDS}
        )
        try:
            records.full_clean(line, exclude=["offer"])
        except ApplicationError as error:
            for field, messages in error.field_errors.items():
                errors[f"lines[{index}].{field}"] = messages
        if line.product_id in withdrawn:
            product = line_data["product"]
            errors[f"lines[{index}].product"] = [
                _("%(code)s is withdrawn from the catalogue.") % {"code": product.code}
            ]
        built.append(line)
    if errors:
        raise ApplicationError(_("Some offer lines are invalid."), field_errors=errors)
    return built


@transaction.atomic
def offer_create(
    *,
    actor,
    account: Account,
    title: str,
    lines: list[dict[str, Any]],
    opportunity: Opportunity | None = None,
    valid_until=None,
    notes: str = "",
) -> Offer:
    """Create a draft offer (revision 1) with its lines and totals."""
    access.ensure_can_change(actor, account)
    if opportunity is not None and opportunity.account_id != account.pk:
        raise ApplicationError(
            _("The opportunity belongs to another account."),
            field_errors={"opportunity": [_("The opportunity belongs to another account.")]},
        )
    offer = records.record_create(
        Offer,
        actor=actor,
        data={
            "number": _next_number("OF", Offer),
            "account": account,
            "opportunity": opportunity,
            "title": title,
            "valid_until": valid_until,
            "notes": notes,
            "created_by": actor,
        },
    )
    OfferLine.objects.bulk_create(_clean_lines(offer, lines))
    _offer_recalculate(offer)
    return offer


def _line_snapshot(line: OfferLine) -> dict[str, str | None]:
    return audit.snapshot(line, skipped={"id", "offer"})


def _lines_display(lines: list[OfferLine]) -> str:
    return "; ".join(
        f"{line.position}. {line.description} × {line.quantity} {line.unit}"
        f" @ {line.unit_price} ({line.vat_rate})"
        for line in lines
    )


@transaction.atomic
def offer_replace_lines(
    *, actor, offer: Offer, lines: list[dict[str, Any]], revision: int | None = None
) -> Offer:
    """Replace all lines of a draft offer and recompute its totals."""
    access.ensure_can_change(actor, offer)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if revision is not None and offer.revision != revision:
        raise Conflict(
            _("This record was changed by someone else in the meantime; reload it and try again.")
        )
    _ensure_editable(offer)
    before = audit.snapshot(offer)
    old_lines = list(offer.lines.all())
    kept = frozenset(line.product_id for line in old_lines if line.product_id)
    new_lines = _clean_lines(offer, lines, kept)
    if [_line_snapshot(line) for line in new_lines] == [_line_snapshot(line) for line in old_lines]:
        return offer  # the same lines: nothing to write
    offer.lines.all().delete()
    OfferLine.objects.bulk_create(new_lines)
    _offer_recalculate(offer)
    # Lines are part of the offer: a changed line is a new revision of the record.
    offer.revision += 1
    offer.save(update_fields=["revision", "updated_at"])
    changes = audit.diff(before, audit.snapshot(offer))
    changes["lines"] = [_lines_display(old_lines), _lines_display(new_lines)]
    audit.record(offer, actor=actor, action=AuditAction.UPDATE, changes=changes)
    return offer


@transaction.atomic
def offer_update(*, actor, offer: Offer, data: dict[str, Any], revision=None) -> Offer:
    access.ensure_can_change(actor, offer)
    # Decide on the locked row, not on the caller's copy (it may have been sent since).
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    _ensure_editable(offer)
    allowed = {k: v for k, v in data.items() if k in {"title", "valid_until", "notes"}}
    return records.record_update(offer, actor=actor, data=allowed, revision=revision)


@transaction.atomic
def offer_revise(*, actor, offer: Offer) -> Offer:
    """Start a new revision: copy the lines into a draft; the old one is superseded."""
    access.ensure_can_change(actor, offer)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status in (Offer.Status.SUPERSEDED, Offer.Status.ACCEPTED):
        raise ApplicationError(_("Only the current, not yet accepted revision can be revised."))
    records.record_update(offer, actor=actor, data={"status": Offer.Status.SUPERSEDED})
    latest = Offer.objects.filter(number=offer.number).aggregate(m=Max("revision_number"))["m"]
    new = records.record_create(
        Offer,
        actor=actor,
        data={
            "number": offer.number,
            "revision_number": latest + 1,
            "supersedes": offer,
            "account": offer.account,
            "opportunity": offer.opportunity,
            "title": offer.title,
            "valid_until": offer.valid_until,
            "notes": offer.notes,
            "created_by": actor,
        },
    )
    OfferLine.objects.bulk_create(
        OfferLine(offer=new, position=line.position, **{f: getattr(line, f) for f in LINE_FIELDS})
        for line in offer.lines.all()
    )
    _offer_recalculate(new)
    return new


OFFER_TRANSITIONS = {
    Offer.Status.DRAFT: {Offer.Status.SENT},
    Offer.Status.SENT: {Offer.Status.ACCEPTED, Offer.Status.REJECTED},
    Offer.Status.REJECTED: set(),
    Offer.Status.ACCEPTED: set(),
    Offer.Status.SUPERSEDED: set(),
}


@transaction.atomic
def offer_set_status(*, actor, offer: Offer, status: str) -> Offer:
    """Move an offer along draft → sent → accepted / rejected."""
    access.ensure_can_change(actor, offer)
    # Two users accepting and rejecting at once: the second sees the first's status.
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if status not in OFFER_TRANSITIONS.get(offer.status, set()):
        raise ApplicationError(
            _("An offer cannot go from %(old)s to %(new)s.")
            % {"old": offer.get_status_display(), "new": status},
            field_errors={"status": [_("This status change is not allowed.")]},
        )
    if status == Offer.Status.SENT and not offer.lines.exists():
        raise ApplicationError(_("An offer without lines cannot be sent."))
    return records.record_update(offer, actor=actor, data={"status": status})


@transaction.atomic
def offer_withdraw(*, actor, offer: Offer) -> Offer:
    """Close a draft that will never be sent (the firm decided against it) as rejected."""
    access.ensure_can_change(actor, offer)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != Offer.Status.DRAFT:
        raise ApplicationError(
            _("Only a draft offer can be withdrawn; a sent one is answered by the client."),
            field_errors={"status": [_("This status change is not allowed.")]},
        )
    return records.record_update(offer, actor=actor, data={"status": Offer.Status.REJECTED})


@transaction.atomic
def contract_create(*, actor, account: Account, data: dict[str, Any]) -> Contract:
    """Create a draft contract, taking its value from the offer when there is one."""
    access.ensure_can_change(actor, account)
    offer = data.get("offer")
    if offer is not None:
        if offer.account_id != account.pk:
            raise ApplicationError(
                _("The offer belongs to another account."),
                field_errors={"offer": [_("The offer belongs to another account.")]},
            )
        if offer.status in (Offer.Status.SUPERSEDED, Offer.Status.REJECTED):
            # Its values are out of date or were turned down; take the current revision.
            message = _("A contract cannot be made from a superseded or rejected offer.")
            raise ApplicationError(message, field_errors={"offer": [message]})
        data = {
            "value_net": offer.total_net,
            "value_gross": offer.total_gross,
            "opportunity": offer.opportunity,
            "title": offer.title,
            **data,
        }
    opportunity = data.get("opportunity")
    if opportunity is not None and opportunity.account_id != account.pk:
        message = _("This opportunity belongs to another account.")
        raise ApplicationError(message, field_errors={"opportunity": [message]})
    data = {"number": _next_number("UM", Contract), "owner": actor, **data, "account": account}
    return records.record_create(Contract, actor=actor, data=data)


# A contract stays with its customer and offer; these are what may be edited.
CONTRACT_EDITABLE = {
    "title",
    "status",
    "value_net",
    "value_gross",
    "signed_on",
    "starts_on",
    "ends_on",
    "owner",
}


def contract_update(*, actor, contract: Contract, data: dict[str, Any], revision=None):
    access.ensure_can_change(actor, contract)
    unknown = set(data) - CONTRACT_EDITABLE
    if unknown:
        message = _("These fields cannot be changed: %(fields)s.") % {
            "fields": ", ".join(sorted(unknown))
        }
        raise ApplicationError(message, field_errors={name: [message] for name in unknown})
    return records.record_update(contract, actor=actor, data=data, revision=revision)
