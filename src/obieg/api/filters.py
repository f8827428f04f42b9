"""Query-string filters of the API lists (django-filter).

References are filtered by id with plain number filters rather than model
choices: a choice filter would answer "not a valid choice" for a record
outside the user's scope and so reveal whether it exists.
"""

from __future__ import annotations

from django import forms
from django_filters import rest_framework as filters

from obieg.crm.models import Account, Activity, ContactPerson, Lead, Opportunity
from obieg.documents.models import Document
from obieg.sales.models import Contract, Offer


class IdFilter(filters.NumberFilter):
    """An id: a whole number within the database's range (a larger one overflows SQLite)."""

    field_class = forms.IntegerField


def _ref(field_name: str) -> IdFilter:
    return IdFilter(field_name=field_name, min_value=1, max_value=2**63 - 1)


class AccountFilter(filters.FilterSet):
    city = filters.CharFilter(lookup_expr="iexact")
    owner = _ref("owner_id")

    class Meta:
        model = Account
        fields = ["kind", "city", "voivodeship", "owner"]


class ContactFilter(filters.FilterSet):
    account = _ref("account_id")

    class Meta:
        model = ContactPerson
        fields = ["account", "is_primary"]


class ActivityFilter(filters.FilterSet):
    account = _ref("account_id")
    opportunity = _ref("opportunity_id")
    owner = _ref("owner_id")
    occurs_after = filters.IsoDateTimeFilter(field_name="occurs_at", lookup_expr="gte")
    occurs_before = filters.IsoDateTimeFilter(field_name="occurs_at", lookup_expr="lt")

    class Meta:
        model = Activity
        fields = ["account", "opportunity", "kind", "status", "owner"]


class LeadFilter(filters.FilterSet):
    owner = _ref("owner_id")

    class Meta:
        model = Lead
        fields = ["status", "source", "owner"]


class OpportunityFilter(filters.FilterSet):
    account = _ref("account_id")
    owner = _ref("owner_id")
    department = _ref("department_id")

    class Meta:
        model = Opportunity
        fields = ["stage", "account", "owner", "department", "escalated_to_board"]


class OfferFilter(filters.FilterSet):
    account = _ref("account_id")
    opportunity = _ref("opportunity_id")

    class Meta:
        model = Offer
        fields = ["status", "account", "opportunity", "number"]


class ContractFilter(filters.FilterSet):
    account = _ref("account_id")
    offer = _ref("offer_id")

    class Meta:
        model = Contract
        fields = ["status", "account", "offer"]


class DocumentFilter(filters.FilterSet):
    account = _ref("account_id")

    class Meta:
        model = Document
        fields = ["kind", "account"]
