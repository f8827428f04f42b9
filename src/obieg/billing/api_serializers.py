"""Serializers of the billing API: invoices out; issue, payment and schedule requests in."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from obieg.api.serializers.fast import FastRepresentation
from obieg.api.serializers.fields import VisibleRelatedField
from obieg.billing.models import (
    Invoice,
    InvoiceLine,
    InvoiceRateTotal,
    Payment,
    PaymentMethod,
    ScheduleItem,
)
from obieg.core.money import VatRate
from obieg.crm.models import Account
from obieg.sales.models import Contract

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0.01")}


class InvoiceLineSerializer(FastRepresentation, serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = [
            "position",
            "description",
            "unit",
            "quantity",
            "unit_price",
            "value",
            "vat_rate",
            "annex_15",
        ]


class InvoiceRateTotalSerializer(FastRepresentation, serializers.ModelSerializer):
    gross = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = InvoiceRateTotal
        fields = ["vat_rate", "net", "vat", "gross"]


class PaymentSerializer(FastRepresentation, serializers.ModelSerializer):
    # Named like the invoice's field, so the API has one payment-method enum.
    payment_method = serializers.ChoiceField(
        source="method", choices=PaymentMethod.choices, read_only=True
    )

    class Meta:
        model = Payment
        fields = ["id", "amount", "paid_on", "payment_method", "reference", "created_at"]


class InvoiceSerializer(FastRepresentation, serializers.ModelSerializer):
    lines = InvoiceLineSerializer(many=True, read_only=True)
    rate_totals = InvoiceRateTotalSerializer(many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)
    advances: serializers.SlugRelatedField[Invoice] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="number"
    )
    is_overdue = serializers.BooleanField(read_only=True)
    date_warnings = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Dates to check, e.g. issued on a public holiday; never a refusal.",
    )
    outstanding = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "kind",
            "status",
            "is_overdue",
            "date_warnings",
            "contract",
            "buyer",
            "issue_date",
            "sale_date",
            "received_on",
            "due_date",
            "payment_method",
            "split_payment",
            "prices_gross",
            "currency",
            "place_of_issue",
            "seller_name",
            "seller_nip",
            "seller_bank_account",
            "buyer_name",
            "buyer_nip",
            "buyer_street",
            "buyer_postal_code",
            "buyer_city",
            "net",
            "vat",
            "gross",
            "order_gross",
            "paid",
            "outstanding",
            "exemption_basis",
            "advances",
            "lines",
            "rate_totals",
            "payments",
            "notes",
            "created_at",
            "revision",
        ]
        read_only_fields = fields


class LineInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=512)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3, min_value=Decimal("0.001"))
    unit = serializers.CharField(max_length=20, required=False, default="szt.")
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal(0))
    # Any text, so that a rate not allowed gets the service's clear message.
    vat_rate = serializers.CharField(max_length=5, help_text=f"One of {', '.join(VatRate.values)}")
    annex_15 = serializers.BooleanField(required=False, default=False)


class _Dated(serializers.Serializer):
    due_date = serializers.DateField(required=False, allow_null=True)
    payment_method = serializers.ChoiceField(
        choices=PaymentMethod.choices, required=False, default=PaymentMethod.TRANSFER
    )


class InvoiceIssueSerializer(_Dated):
    buyer = VisibleRelatedField(queryset=Account.objects.all())
    contract = VisibleRelatedField(queryset=Contract.objects.all(), required=False, allow_null=True)
    lines = LineInputSerializer(many=True)
    issue_date = serializers.DateField(required=False, allow_null=True)
    sale_date = serializers.DateField(required=False, allow_null=True)
    payment_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=365
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class AdvanceIssueSerializer(_Dated):
    contract = VisibleRelatedField(queryset=Contract.objects.all(), allow_null=True)
    amount = serializers.DecimalField(required=False, allow_null=True, **MONEY)
    percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        allow_null=True,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
    )
    received_on = serializers.DateField(required=False, allow_null=True)
    annex_15 = serializers.BooleanField(required=False, default=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class FinalIssueSerializer(_Dated):
    contract = VisibleRelatedField(queryset=Contract.objects.all(), allow_null=True)
    sale_date = serializers.DateField(required=False, allow_null=True)
    annex_15 = serializers.BooleanField(required=False, default=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class PaymentInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**MONEY)
    paid_on = serializers.DateField(required=False, allow_null=True)
    payment_method = serializers.ChoiceField(
        choices=PaymentMethod.choices, required=False, default=PaymentMethod.TRANSFER
    )
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ScheduleItemSerializer(FastRepresentation, serializers.ModelSerializer):
    contract = VisibleRelatedField(queryset=Contract.objects.all())
    amount = serializers.DecimalField(**MONEY)
    invoice_number = serializers.CharField(source="invoice.number", read_only=True, default=None)

    class Meta:
        model = ScheduleItem
        fields = [
            "id",
            "contract",
            "due_date",
            "amount",
            "kind",
            "description",
            "invoice",
            "invoice_number",
            "last_error",
            "created_at",
        ]
        read_only_fields = ["invoice", "last_error", "created_at"]


class IssueReportSerializer(serializers.Serializer):
    issued = serializers.ListField(child=serializers.CharField())
    refused = serializers.ListField(child=serializers.DictField())
