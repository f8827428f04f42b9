"""The billing API: invoices (issue, advance, final, payments, PDF, KSeF XML) and schedules.

Reads go through the access policy; every write goes to a service, which
checks the accountant role, so an unauthorised or refused request changes
nothing and answers 403 or 400 with field errors (never 500).
"""

from __future__ import annotations

from django.http import HttpResponse
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response

from obieg.api.filters import BooleanFilter, FilterSet, IdFilter
from obieg.api.routers import RecordRouter
from obieg.api.views.base import RevisionETagMixin
from obieg.billing import advances, invoicing, ksef, payments, schedules, selectors
from obieg.billing import api_serializers as s
from obieg.billing.models import Invoice, InvoiceKind, ScheduleItem
from obieg.billing.pdf import invoice_pdf
from obieg.core import access


class _FileRenderer(BaseRenderer):
    """Lets clients ask for the file type; the view returns the bytes itself."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class PdfRenderer(_FileRenderer):
    media_type = "application/pdf"
    format = "pdf"


class XmlRenderer(_FileRenderer):
    media_type = "application/xml"
    format = "xml"


def _ref(name: str) -> IdFilter:
    return IdFilter(field_name=name, min_value=1, max_value=2**63 - 1)


class InvoiceFilter(FilterSet):
    kind = filters.ChoiceFilter(choices=InvoiceKind.choices)
    status = filters.ChoiceFilter(choices=Invoice.Status.choices)
    overdue = BooleanFilter(method="filter_overdue")
    buyer = _ref("buyer_id")
    contract = _ref("contract_id")
    issued_from = filters.DateFilter(field_name="issue_date", lookup_expr="gte")
    issued_to = filters.DateFilter(field_name="issue_date", lookup_expr="lte")

    class Meta:
        model = Invoice
        fields = ["kind", "status", "buyer", "contract"]

    def filter_overdue(self, queryset, name, value):
        overdue = selectors.overdue_q()
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class InvoiceViewSet(
    RevisionETagMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Issued invoices; no update or delete: a tax document is corrected by another document."""

    permission_classes = [IsAuthenticated]
    queryset = selectors.invoice_queryset().prefetch_related(
        "lines", "rate_totals", "payments", "advances"
    )
    serializer_class = s.InvoiceSerializer
    filterset_class = InvoiceFilter
    search_fields = ["number", "buyer_name", "buyer_nip"]
    ordering_fields = ["issue_date", "due_date", "gross", "id"]
    ordering = ["-issue_date"]

    def get_queryset(self):
        return access.visible(super().get_queryset(), self.request.user)

    def _input(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _created(self, invoice: Invoice) -> Response:
        invoice = self.get_queryset().get(pk=invoice.pk)
        return Response(s.InvoiceSerializer(invoice).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Issue a VAT invoice",
        request=s.InvoiceIssueSerializer,
        responses={201: s.InvoiceSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = self._input(s.InvoiceIssueSerializer)
        data["lines"] = [dict(line) for line in data["lines"]]
        return self._created(invoicing.invoice_issue(actor=request.user, **data))

    @extend_schema(
        summary="Issue an advance invoice (ZAL) for a contract",
        request=s.AdvanceIssueSerializer,
        responses={201: s.InvoiceSerializer},
    )
    @action(detail=False, methods=["post"])
    def advance(self, request):
        data = self._input(s.AdvanceIssueSerializer)
        return self._created(advances.advance_invoice_issue(actor=request.user, **data))

    @extend_schema(
        summary="Issue a contract's final invoice (ROZ after advances, else VAT)",
        request=s.FinalIssueSerializer,
        responses={201: s.InvoiceSerializer},
    )
    @action(detail=False, methods=["post"])
    def final(self, request):
        data = self._input(s.FinalIssueSerializer)
        return self._created(advances.final_invoice_issue(actor=request.user, **data))

    @extend_schema(
        summary="Record a payment of the invoice",
        request=s.PaymentInputSerializer,
        responses={201: s.PaymentSerializer},
    )
    @action(detail=True, methods=["post"])
    def payments(self, request, pk=None):
        invoice = self.get_object()
        data = self._input(s.PaymentInputSerializer)
        data["method"] = data.pop("payment_method")
        payment = payments.payment_record(actor=request.user, invoice=invoice, **data)
        return Response(s.PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The invoice as PDF", responses={(200, "application/pdf"): OpenApiTypes.BINARY}
    )
    @action(detail=True, methods=["get"], renderer_classes=[PdfRenderer])
    def pdf(self, request, pk=None):
        invoice = self.get_object()
        return HttpResponse(invoice_pdf(invoice), content_type="application/pdf")

    @extend_schema(
        summary="The invoice as KSeF FA(3) XML",
        responses={(200, "application/xml"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], renderer_classes=[XmlRenderer])
    def xml(self, request, pk=None):
        invoice = self.get_object()
        return HttpResponse(ksef.invoice_xml(invoice), content_type="application/xml")


class ScheduleItemFilter(FilterSet):
    contract = _ref("contract_id")

    class Meta:
        model = ScheduleItem
        fields = ["contract", "kind"]


class ScheduleItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Planned payments of contracts; each produces one invoice on its date."""

    permission_classes = [IsAuthenticated]
    queryset = ScheduleItem.objects.select_related("invoice")
    serializer_class = s.ScheduleItemSerializer
    filterset_class = ScheduleItemFilter
    ordering_fields = ["due_date", "id"]
    ordering = ["due_date"]

    def get_queryset(self):
        return access.visible(super().get_queryset(), self.request.user)

    def perform_create(self, serializer):
        serializer.instance = schedules.schedule_item_add(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        schedules.schedule_item_remove(actor=self.request.user, item=instance)

    @extend_schema(
        summary="Issue every invoice the schedules call for up to today",
        request=None,
        responses={200: s.IssueReportSerializer},
    )
    @action(detail=False, methods=["post"], url_path="issue-due")
    def issue_due(self, request):
        report = schedules.issue_due_invoices(actor=request.user)
        data = {
            "issued": [invoice.number for invoice in report.issued],
            "refused": [{"item": item.pk, "detail": message} for item, message in report.refused],
        }
        return Response(s.IssueReportSerializer(data).data)


router = RecordRouter()
router.register("invoices", InvoiceViewSet, basename="invoice")
router.register("schedule-items", ScheduleItemViewSet, basename="schedule-item")
