"""Documents: multipart upload (version 1), further versions, access-checked download."""

from __future__ import annotations

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser

from obieg.api.filters import DocumentFilter
from obieg.api.routers import ID_CONVERTER
from obieg.api.serializers.documents import (
    DocumentSerializer,
    DocumentUploadSerializer,
    DocumentVersionSerializer,
    DocumentVersionUploadSerializer,
    attach_versions,
)
from obieg.api.views.base import RecordViewSet
from obieg.api.views.history import HistoryMixin
from obieg.documents import services
from obieg.documents.models import Document


class DocumentViewSet(HistoryMixin, RecordViewSet):
    """Versioned files attached to a customer and/or a record; read-only but for uploads."""

    queryset = Document.objects.all()
    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser, FormParser]
    filterset_class = DocumentFilter
    search_fields = ["title"]
    ordering_fields = ["updated_at", "created_at", "title", "id"]
    ordering = ["-updated_at"]

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.action == "list":  # not the history's pages
            attach_versions(page)
        return page

    @extend_schema(
        summary="Upload a file as a new document (version 1)",
        request=DocumentUploadSerializer,
        responses={201: DocumentSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = self.validated(DocumentUploadSerializer)
        document = services.document_upload(actor=request.user, **data)
        return self.respond(document, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Upload the next version of the document",
        request=DocumentVersionUploadSerializer,
        responses={201: DocumentVersionSerializer},
    )
    @action(detail=True, methods=["post"], serializer_class=DocumentVersionSerializer)
    def versions(self, request, pk=None):
        document = self.get_object()
        data = self.validated(DocumentVersionUploadSerializer)
        version = services.document_add_version(actor=request.user, document=document, **data)
        return self.respond(version, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Download one version of the document",
        # The file goes out with its own type (PDF, JPEG …).
        responses={(200, "*/*"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path=f"versions/<{ID_CONVERTER}:number>/download")
    def download(self, request, pk=None, number=None):
        # Files are handed out only here, after get_object's access check.
        version = self.get_object().versions.filter(number=number).first()
        if version is None:
            raise Http404
        return FileResponse(
            version.file.open("rb"),
            as_attachment=True,
            filename=version.original_name,
            content_type=version.content_type,
        )
