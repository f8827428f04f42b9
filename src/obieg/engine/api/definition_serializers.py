"""Process definitions through the API: versions, and what a check or a deploy found."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from obieg.api.serializers.errors import ModelFindingSerializer as FindingSerializer
from obieg.core.models import User
from obieg.engine import labels
from obieg.engine.models import ProcessDefinition

MODEL_FILE_HELP = _(".bpmn and .dmn files, sent together (several `files` parts).")


class DefinitionSerializer(serializers.ModelSerializer):
    deployed_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    files = serializers.SerializerMethodField()
    running_cases = serializers.IntegerField(read_only=True)
    name_display = serializers.SerializerMethodField(
        help_text="The process's name in the request's language (Accept-Language); "
        "`name` is the model's own."
    )

    class Meta:
        model = ProcessDefinition
        fields = [
            "id",
            "key",
            "version",
            "name",
            "name_display",
            "solution",
            "source_name",
            "files",
            "checksum",
            "origin",
            "deployed_at",
            "deployed_by",
            "running_cases",
            "warnings",
        ]
        read_only_fields = fields

    def get_name_display(self, definition) -> str:
        return labels.process_label(definition)

    def get_files(self, definition) -> list[str]:
        return sorted(definition.sources)


class ModelFilesSerializer(serializers.Serializer):
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False, max_length=200),
        allow_empty=False,
        max_length=20,
        help_text=MODEL_FILE_HELP,
    )
    solution = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_(
            "The solution the files belong to ('' for processes of one's own); by default "
            "the solution whose process the files change."
        ),
    )


class CheckResultSerializer(serializers.Serializer):
    solution = serializers.CharField()
    refused = serializers.BooleanField()
    findings = FindingSerializer(many=True)


class DeployResultSerializer(CheckResultSerializer):
    created = DefinitionSerializer(many=True, help_text="New versions made by this deploy.")
    unchanged = DefinitionSerializer(many=True, help_text="Processes whose files did not change.")
