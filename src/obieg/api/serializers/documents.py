"""Documents, their versions, and the multipart uploads that create them."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from obieg.api.serializers.fast import FastRepresentation, url_maker
from obieg.api.serializers.fields import VisibleRelatedField
from obieg.crm.models import Account, Opportunity
from obieg.documents import validators
from obieg.documents.models import Document, DocumentVersion
from obieg.sales.models import Contract, Offer

# The records a document can be attached to through the API, by public name.
SUBJECT_MODELS = {"opportunity": Opportunity, "offer": Offer, "contract": Contract}
_SUBJECT_NAMES = {model: name for name, model in SUBJECT_MODELS.items()}


class DocumentVersionSerializer(FastRepresentation, serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentVersion
        fields = [
            "number",
            "original_name",
            "size",
            "content_type",
            "checksum",
            "comment",
            "created_by",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, version: DocumentVersion) -> str:
        # One reverse() per serializer, not one per version of each row.
        make = self.__dict__.get("_download_url")
        if make is None:
            make = self._download_url = url_maker(
                "api:document-download", self.context.get("request"), "pk", "number"
            )
        return make(pk=version.document_id, number=version.number)


class VersionListSerializer(serializers.ListSerializer):
    """A document's versions: those `attach_versions` read for a whole page, else a query."""

    def get_attribute(self, instance):
        attached = getattr(instance, ATTACHED_VERSIONS, None)
        return attached if attached is not None else super().get_attribute(instance)


ATTACHED_VERSIONS = "version_list"


def attach_versions(documents: list[Document]) -> None:
    """Each document's versions, newest first, read in one query for the page.

    Plain lists by document id: prefetch_related builds a queryset per row
    and resolves each row as a query parameter, most of a page's Python.
    """
    by_document: dict[int, list[DocumentVersion]] = {document.pk: [] for document in documents}
    if by_document:
        for version in DocumentVersion.objects.filter(document_id__in=list(by_document)):
            by_document[version.document_id].append(version)
    for document in documents:
        setattr(document, ATTACHED_VERSIONS, by_document[document.pk])


class DocumentSerializer(FastRepresentation, serializers.ModelSerializer):
    subject_type = serializers.SerializerMethodField()
    versions = VersionListSerializer(child=DocumentVersionSerializer(), read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "kind",
            "account",
            "subject_type",
            "subject_id",
            "current_version",
            "versions",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ChoiceField(choices=list(SUBJECT_MODELS), allow_null=True, read_only=True)
    )
    def get_subject_type(self, document: Document) -> str | None:
        if document.subject_type_id is None:
            return None
        # get_for_id is served from ContentType's cache: no query per row.
        model = ContentType.objects.get_for_id(document.subject_type_id).model_class()
        return _SUBJECT_NAMES.get(model)


class DocumentUploadSerializer(serializers.Serializer):
    """A new document: version 1 of `file`, attached to an account and/or a record."""

    file = serializers.FileField(validators=[validators.DOCUMENT])
    title = serializers.CharField(
        max_length=200, allow_blank=True, default="", help_text="The file name when empty."
    )
    kind = serializers.ChoiceField(choices=Document.Kind.choices)
    account = VisibleRelatedField(queryset=Account.objects.all(), required=False)
    subject_type = serializers.ChoiceField(choices=list(SUBJECT_MODELS), required=False)
    subject_id = serializers.IntegerField(min_value=1, required=False)
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True)

    def validate(self, attrs):
        kind, subject_id = attrs.pop("subject_type", None), attrs.pop("subject_id", None)
        if (kind is None) != (subject_id is None):
            raise serializers.ValidationError(
                {"subject_id": [_("Give both subject_type and subject_id, or neither.")]}
            )
        if kind is not None:
            field = VisibleRelatedField(queryset=SUBJECT_MODELS[kind].objects.all())
            field.bind("subject_id", self)
            try:
                attrs["subject"] = field.to_internal_value(subject_id)
            except serializers.ValidationError as error:
                raise serializers.ValidationError({"subject_id": error.detail}) from error
        if attrs.get("account") is None and attrs.get("subject") is None:
            # A document of nobody would be visible to nobody but administrators.
            raise serializers.ValidationError(
                {"account": [_("Attach the document to an account or a record.")]}
            )
        return attrs


class DocumentVersionUploadSerializer(serializers.Serializer):
    file = serializers.FileField(validators=[validators.DOCUMENT])
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True)
