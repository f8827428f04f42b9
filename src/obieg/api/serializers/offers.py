"""Offers with their lines, per-rate VAT totals and margin."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from obieg.api.serializers.base import RecordSerializer
from obieg.api.serializers.fast import FastRepresentation
from obieg.catalogue.offer_lines import copy_from_catalogue
from obieg.core.money import VatRate
from obieg.sales.models import Offer, OfferLine


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, **kwargs)


class OfferLineSerializer(FastRepresentation, serializers.ModelSerializer):
    net = _money(help_text="quantity × unit price, rounded to the grosz")
    cost = _money(help_text="quantity × unit cost, rounded to the grosz")

    class Meta:
        model = OfferLine
        fields = [
            "position",
            "product",
            "description",
            "quantity",
            "unit",
            "unit_cost",
            "unit_price",
            "vat_rate",
            "net",
            "cost",
        ]
        read_only_fields = ["position"]
        extra_kwargs = {
            "product": {
                "help_text": "A catalogue item (id): description, unit, unit price, unit cost "
                "and VAT rate left out are copied from it; the line keeps its own copy."
            },
            "description": {"required": False},
            "unit_price": {"required": False},
            "vat_rate": {"required": False},
        }

    def validate(self, attrs):
        # obieg.catalogue.offer_lines does the same for the offer form's rows.
        attrs = copy_from_catalogue(attrs)
        missing = {
            name: [_("This field is required.")]
            for name in ("description", "unit_price", "vat_rate")
            if attrs.get(name) in (None, "")
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class RateTotalSerializer(serializers.Serializer):
    rate = serializers.ChoiceField(choices=VatRate.choices, read_only=True)
    net = _money()
    vat = _money()
    gross = _money()


class DocumentTotalsSerializer(serializers.Serializer):
    """VAT is computed once per rate over the summed nets (see core.money)."""

    per_rate = RateTotalSerializer(many=True, read_only=True)
    net = _money()
    vat = _money()
    gross = _money()


class OfferSerializer(RecordSerializer):
    lines = OfferLineSerializer(many=True, required=False)
    totals = DocumentTotalsSerializer(read_only=True)
    margin = serializers.DecimalField(
        max_digits=7,
        decimal_places=4,
        read_only=True,
        allow_null=True,
        help_text="(net − cost) / net as a fraction; null when the net is zero",
    )

    class Meta:
        model = Offer
        fields = [
            "id",
            "number",
            "revision_number",
            "supersedes",
            "account",
            "opportunity",
            "title",
            "status",
            "valid_until",
            "notes",
            "lines",
            "totals",
            "total_net",
            "total_vat",
            "total_gross",
            "total_cost",
            "margin",
            "created_by",
            "created_at",
            "updated_at",
            "revision",
        ]
        # Status moves through its own action; totals follow from the lines.
        read_only_fields = [
            "number",
            "revision_number",
            "supersedes",
            "status",
            "total_net",
            "total_vat",
            "total_gross",
            "total_cost",
            "created_by",
        ]


class OfferUpdateSerializer(OfferSerializer):
    """Fields and lines of a draft; sending `lines` replaces all of them."""

    class Meta(OfferSerializer.Meta):
        read_only_fields = [*OfferSerializer.Meta.read_only_fields, "account", "opportunity"]


class OfferStatusSerializer(serializers.Serializer):
    # The service refuses moves that skip a step (draft → accepted, …).
    status = serializers.ChoiceField(choices=Offer.Status.choices)
