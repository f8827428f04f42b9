"""The client's inquiries on the customer 360° page (registered in registration.py)."""

from __future__ import annotations

from django.db.models import QuerySet

from obieg.core import access, roles
from obieg.solutions.expert_opinions.models import Inquiry


def account_inquiries(account) -> QuerySet[Inquiry]:
    return Inquiry.objects.filter(account=account).select_related("department")


def account_inquiries_visible(user, account, inquiries: QuerySet[Inquiry]) -> QuerySet[Inquiry]:
    """As `selectors.inquiries_visible`: the access policy, and all of them for the secretariat."""
    if user.is_authenticated and user.is_active and user.has_role(roles.SECRETARIAT):
        return inquiries
    return access.visible(inquiries, user)
