"""Reads of offers and contracts, always through the access policy."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from obieg.core import access
from obieg.core.text_search import fold
from obieg.crm.models import Account, Opportunity
from obieg.sales.models import Contract, Offer, OfferLine

OFFER_ORDERINGS = {
    "newest": ["-id"],  # the primary key index serves it on any table size
    "number": ["number", "-revision_number", "id"],
    "value": ["-total_gross", "-id"],
}

CONTRACT_ORDERINGS = {
    "newest": ["-id"],  # the primary key index serves it on any table size
    "number": ["number", "id"],
    "value": ["-value_gross", "-id"],
}


def offer_queryset() -> QuerySet:
    """Offers with what their pages show; callers pass it through the access policy."""
    return Offer.objects.select_related("account", "opportunity", "created_by")


def offer_search(
    user, *, query: str = "", status: str = "", include_superseded: bool = False
) -> QuerySet:
    offers = access.visible(offer_queryset(), user)
    if status:
        offers = offers.filter(status=status)
    elif not include_superseded:
        offers = offers.exclude(status=Offer.Status.SUPERSEDED)
    if query:
        offers = offers.filter(
            Q(number__icontains=query)
            | Q(title__icontains=query)
            | Q(account__search_name__contains=fold(query))
        )
    return offers


def offer_with_lines(user, pk) -> Offer:
    """One visible offer with its lines loaded once (404 when not visible)."""
    lines = Prefetch("lines", queryset=OfferLine.objects.order_by("position", "id"))
    return access.get_visible_or_404(offer_queryset().prefetch_related(lines), user, pk=pk)


def offer_revisions(user, offer: Offer) -> QuerySet:
    """Every visible revision of the offer's number, oldest first."""
    return access.visible(Offer.objects.filter(number=offer.number), user).order_by(
        "revision_number"
    )


def offers_for_account(user, account: Account) -> QuerySet:
    """The account's current (not superseded) offers, for choosing one in a contract."""
    return (
        access.visible(Offer.objects.filter(account=account), user)
        .exclude(status=Offer.Status.SUPERSEDED)
        .order_by("-created_at", "-id")
    )


def offers_for_opportunity(user, opportunity: Opportunity, *, limit: int = 20) -> QuerySet:
    """The visible offers made for one sale, newest first."""
    return access.visible(Offer.objects.filter(opportunity=opportunity), user).order_by(
        "-created_at", "-id"
    )[:limit]


def contract_queryset() -> QuerySet:
    """Contracts with what their pages show; callers pass it through the access policy."""
    return Contract.objects.select_related("account", "offer", "opportunity", "owner")


def contract_search(user, *, query: str = "", status: str = "") -> QuerySet:
    contracts = access.visible(contract_queryset(), user)
    if status:
        contracts = contracts.filter(status=status)
    if query:
        contracts = contracts.filter(
            Q(number__icontains=query)
            | Q(title__icontains=query)
            | Q(account__search_name__contains=fold(query))
        )
    return contracts
