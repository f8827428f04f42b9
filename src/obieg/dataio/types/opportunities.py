"""Opportunities: checked by the opportunity forms, written by `opportunity_create` /
`opportunity_update` (so the stage's probability and closing date follow as on the page)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy

from obieg.crm import services
from obieg.crm.models import Opportunity
from obieg.crm.selectors import pipeline
from obieg.dataio.columns import CHOICE, DATE, DECIMAL, INTEGER, Column
from obieg.dataio.types.base import RecordType, RowCheck
from obieg.dataio.types.common import (
    ACCOUNT_COLUMNS,
    ACCOUNT_KEYS,
    ID,
    OWNER,
    find_account,
    prepare_accounts,
)
from obieg.dataio.types.leads import keyset_batches
from obieg.web.forms.opportunities import OpportunityEditForm, OpportunityForm
from obieg.web.views.opportunities import opportunity_list_filters
from obieg.web.views.sales_common import choice_param


def opportunity_columns() -> tuple[Column, ...]:
    return (
        ID,
        *ACCOUNT_COLUMNS,
        Column(
            "name",
            gettext_lazy("Name"),
            ("nazwa", "szansa", "nazwa szansy", "opportunity", "deal", "title", "tytuł"),
            value=lambda o: o.name,
        ),
        Column(
            "stage",
            gettext_lazy("Stage"),
            ("etap", "faza", "deal stage"),
            CHOICE,
            tuple(Opportunity.Stage.choices),
            value=lambda o: o.stage,
        ),
        Column(
            "value",
            gettext_lazy("Value (net PLN)"),
            ("wartość", "wartosc", "wartość netto", "kwota", "value", "amount"),
            DECIMAL,
            value=lambda o: o.value,
        ),
        Column(
            "probability",
            gettext_lazy("Probability (%)"),
            ("prawdopodobieństwo", "szansa %", "probability"),
            INTEGER,
            value=lambda o: o.probability,
        ),
        Column(
            "expected_close",
            gettext_lazy("Expected close"),
            ("data zamknięcia", "planowane zamknięcie", "oczekiwane zamknięcie", "close date"),
            DATE,
            value=lambda o: o.expected_close,
        ),
        Column(
            "lost_reason",
            gettext_lazy("Reason for loss"),
            ("powód utraty", "przyczyna utraty", "lost reason"),
            value=lambda o: o.lost_reason,
        ),
        OWNER,
    )


class OpportunityType(RecordType):
    key = "opportunities"
    label = gettext_lazy("Opportunities")
    model = Opportunity
    list_url = "opportunity_list"
    custom_record_type = "opportunity"
    required = (("name", "id"), ("id", *ACCOUNT_KEYS))
    create_defaults = {"stage": Opportunity.Stage.QUALIFICATION, "value": "0"}

    def __init__(self):
        self.fixed_columns = opportunity_columns()

    def queryset(self):
        return Opportunity.objects.select_related("account", "owner")

    def create_form(self, user, data):
        return OpportunityForm(data)

    def update_form(self, user, instance, data):
        return OpportunityEditForm(data, instance=instance)

    def create(self, user, check: RowCheck):
        return services.opportunity_create(actor=user, account=check.parent, data=check.data)

    def update(self, user, check: RowCheck, revision):
        return services.opportunity_update(
            actor=user, opportunity=check.instance, data=check.data, revision=revision
        )

    def row_label(self, check: RowCheck, values: dict[str, Any]) -> str:
        name = values.get("name") or (check.instance.name if check.instance else "")
        return f"{name} ({check.parent.name})" if check.parent is not None else name

    def prepare(self, user, rows):
        return prepare_accounts(user, rows)

    def match(self, context, check: RowCheck, values, headers):
        find_account(context, check, values, headers)

    def export_pages(self, request) -> Iterator[list]:
        filters = opportunity_list_filters(request)
        opportunities = pipeline.opportunity_search(request.user, **filters)
        orderings = pipeline.OPPORTUNITY_ORDERINGS
        sort = choice_param(request, "sort", orderings, next(iter(orderings)))
        yield from keyset_batches(opportunities, orderings[sort])
