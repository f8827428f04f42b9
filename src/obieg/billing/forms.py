"""Forms of the billing pages; they only parse input, the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from obieg.billing.models import Invoice, InvoiceKind, PaymentMethod, ScheduleItem
from obieg.billing.selectors import OVERDUE
from obieg.core.inputs import DateInput, OwnIds
from obieg.core.numbers import DecimalInputField

DATE = DateInput()
MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0.01")}


class InvoiceFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any")), *InvoiceKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), *Invoice.Status.choices, (OVERDUE, _("overdue"))],
    )
    buyer = forms.CharField(label=_("Buyer"), required=False, max_length=100)
    date_from = forms.DateField(label=_("Issued from"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Issued to"), required=False, widget=DATE)

    def filters(self) -> dict:
        """The valid filters; an invalid field is ignored rather than failing the list."""
        self.is_valid()
        return {
            name: self.cleaned_data.get(name)
            or ("" if name in ("kind", "status", "buyer") else None)
            for name in self.fields
        }


class PaymentForm(forms.Form):
    amount = DecimalInputField(label=_("Amount (zł)"), **MONEY)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    method = forms.ChoiceField(
        label=_("Method"), choices=PaymentMethod.choices, initial=PaymentMethod.TRANSFER
    )
    reference = forms.CharField(label=_("Reference"), required=False, max_length=200)


class AdvanceForm(OwnIds, forms.Form):
    ids = "advance"

    amount = DecimalInputField(label=_("Amount (gross, zł)"), required=False, **MONEY)
    percent = DecimalInputField(
        label=_("or percentage of the contract"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
    )
    received_on = forms.DateField(
        label=_("Payment received on"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty when the advance is still due."),
    )
    annex_15 = forms.BooleanField(
        label=_("Goods or services of annex 15 (split payment above 15 000 zł)"), required=False
    )

    def clean(self):
        data = super().clean()
        if (data.get("amount") is None) == (data.get("percent") is None):
            raise forms.ValidationError(_("Give either an amount or a percentage."))
        return data


class FinalForm(OwnIds, forms.Form):
    ids = "final"

    sale_date = forms.DateField(label=_("Sale (completion) date"), required=False, widget=DATE)
    annex_15 = forms.BooleanField(
        label=_("Goods or services of annex 15 (split payment above 15 000 zł)"), required=False
    )


class ScheduleItemForm(OwnIds, forms.Form):
    ids = "schedule"

    due_date = forms.DateField(label=_("Invoice on"), widget=DATE)
    amount = DecimalInputField(label=_("Amount (gross, zł)"), **MONEY)
    kind = forms.ChoiceField(label=_("Kind"), choices=ScheduleItem.Kind.choices)
    description = forms.CharField(label=_("Description"), required=False, max_length=200)
