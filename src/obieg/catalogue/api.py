"""The catalogue over the API (/api/catalogue/products/): list, read, create, update, withdraw.

Everyone in sales reads it; an administrator or a sales manager changes it
(catalogue.rules). Writes go through the services, so a bad value or a taken
code is a 400 with field errors and nothing is saved; an update must name the
revision it read (409 when someone saved in between).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated

from obieg.api.filters import FilterSet
from obieg.api.routers import RecordRouter
from obieg.api.serializers.base import RecordSerializer
from obieg.api.views.base import CreateMixin, RecordViewSet, UpdateMixin
from obieg.api.views.history import HistoryMixin
from obieg.catalogue import rules, services
from obieg.catalogue.models import Product
from obieg.core.text_search import fold


class CatalogueAccess(BasePermission):
    message = _("Only an administrator or a sales manager may change the catalogue.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return rules.may_read(request.user)
        return rules.may_edit(request.user)


class ProductSerializer(RecordSerializer):
    class Meta:
        model = Product
        fields = [
            "id",
            "code",
            "name",
            "description",
            "kind",
            "unit",
            "unit_price",
            "unit_cost",
            "vat_rate",
            "active",
            "created_at",
            "updated_at",
            "revision",
        ]
        # Withdrawing and bringing back are actions of their own.
        read_only_fields = ["active"]


class ProductActiveSerializer(serializers.Serializer):
    active = serializers.BooleanField()
    revision = serializers.IntegerField(required=False, min_value=1)


class ProductFilter(FilterSet):
    search = filters.CharFilter(
        method="filter_search",
        help_text="Code or name contains this, accents and case ignored ('zolw' finds Żółw).",
    )

    class Meta:
        model = Product
        fields = ["kind", "active", "vat_rate"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_name__contains=fold(value))


@extend_schema_view(
    list=extend_schema(summary="Catalogue items"),
    retrieve=extend_schema(summary="One catalogue item"),
    create=extend_schema(summary="Add an item to the catalogue"),
)
class ProductViewSet(CreateMixin, UpdateMixin, HistoryMixin, RecordViewSet):
    """Products and services with their unit, net price, cost and VAT rate.

    No DELETE: offer lines refer to items; withdraw one instead (`active`).
    """

    queryset = Product.objects.all()
    serializer_class = ProductSerializer
    permission_classes = [IsAuthenticated, CatalogueAccess]
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    filterset_class = ProductFilter
    ordering_fields = ["code", "sort_name", "unit_price", "created_at", "updated_at", "id"]
    ordering = ["sort_name"]

    def get_queryset(self):
        # The catalogue has no owner to scope by: the permission decides who reads it.
        return Product.objects.all()

    def create_record(self, data):
        return services.product_create(actor=self.request.user, data=data)

    def update_record(self, instance, data, revision):
        return services.product_update(
            actor=self.request.user, product=instance, data=data, revision=revision
        )

    @extend_schema(
        summary="Withdraw the item from new offers (active=false) or bring it back",
        request=ProductActiveSerializer,
        responses=ProductSerializer,
    )
    @action(detail=True, methods=["post"], url_path="active")
    def set_active(self, request, pk=None):
        product = self.get_object()
        data = self.validated(ProductActiveSerializer)
        changed = services.product_set_active(
            actor=request.user,
            product=product,
            active=data["active"],
            revision=data.get("revision"),
        )
        return self.respond(changed, serializer_class=ProductSerializer)


router = RecordRouter()
router.register("products", ProductViewSet, basename="product")
