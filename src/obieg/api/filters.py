"""Query-string filters of the API lists (django-filter).

References are filtered by id with plain number filters rather than model
choices: a choice filter would answer "not a valid choice" for a record
outside the user's scope and so reveal whether it exists.

A value a filter cannot read is a 400 naming the parameter, never silently
"no filter": `?overdue=maybe` must not list every invoice. An empty value is
"not given" (the browsable API's filter form sends empty fields).
"""

from __future__ import annotations

from copy import deepcopy

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.rest_framework.filterset import FILTER_FOR_DBFIELD_DEFAULTS
from django_filters.widgets import BooleanWidget
from drf_spectacular.utils import extend_schema_field

from obieg.api.routers import MAX_ID
from obieg.crm.models import Account, Activity, ContactPerson, Lead, Opportunity
from obieg.documents.models import Document
from obieg.sales.models import Contract, Offer


class _BooleanWidget(BooleanWidget):
    """Hands an unreadable value on to the field (the stock widget turns it into "no filter")."""

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        raw = data.get(name)
        return raw if value is None and raw not in (None, "") else value


class _BooleanField(forms.NullBooleanField):
    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        raise forms.ValidationError(_("Enter true or false."), code="invalid")


class BooleanFilter(filters.BooleanFilter):
    """`true`/`false` (or `1`/`0`); anything else is a 400."""

    field_class = _BooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _BooleanWidget)
        super().__init__(*args, **kwargs)


class FilterSet(filters.FilterSet):
    """The base of every API filter set: boolean columns get the strict BooleanFilter."""

    FILTER_DEFAULTS = deepcopy(FILTER_FOR_DBFIELD_DEFAULTS)
    FILTER_DEFAULTS[models.BooleanField] = {"filter_class": BooleanFilter}


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    """An id: a whole number within the database's range (a larger one overflows SQLite)."""

    field_class = forms.IntegerField


def _ref(field_name: str) -> IdFilter:
    return IdFilter(field_name=field_name, min_value=1, max_value=MAX_ID)


class AccountFilter(FilterSet):
    city = filters.CharFilter(lookup_expr="iexact")
    owner = _ref("owner_id")

    class Meta:
        model = Account
        fields = ["kind", "city", "voivodeship", "owner"]


class ContactFilter(FilterSet):
    account = _ref("account_id")

    class Meta:
        model = ContactPerson
        fields = ["account", "is_primary"]


class ActivityFilter(FilterSet):
    account = _ref("account_id")
    opportunity = _ref("opportunity_id")
    owner = _ref("owner_id")
    occurs_after = filters.IsoDateTimeFilter(field_name="occurs_at", lookup_expr="gte")
    occurs_before = filters.IsoDateTimeFilter(field_name="occurs_at", lookup_expr="lt")

    class Meta:
        model = Activity
        fields = ["account", "opportunity", "kind", "status", "owner"]


class LeadFilter(FilterSet):
    owner = _ref("owner_id")

    class Meta:
        model = Lead
        fields = ["status", "source", "owner"]


class OpportunityFilter(FilterSet):
    account = _ref("account_id")
    owner = _ref("owner_id")
    department = _ref("department_id")

    class Meta:
        model = Opportunity
        fields = ["stage", "account", "owner", "department", "escalated_to_board"]


class OfferFilter(FilterSet):
    account = _ref("account_id")
    opportunity = _ref("opportunity_id")

    class Meta:
        model = Offer
        fields = ["status", "account", "opportunity", "number"]


class ContractFilter(FilterSet):
    account = _ref("account_id")
    offer = _ref("offer_id")

    class Meta:
        model = Contract
        fields = ["status", "account", "offer"]


class DocumentFilter(FilterSet):
    account = _ref("account_id")

    class Meta:
        model = Document
        fields = ["kind", "account"]
