"""`/api/engine/definitions/{id}/diff/` and `/migration/`: compare versions, move running cases.

The same services and checks as the studio's pages (`engine.migration`):
process administrators and administrators only; a dry run writes nothing;
a run moves only the cases given with the revisions a dry run reported,
each on its own, and says for every case whether it moved and why not.

Names come twice, as in the other engine answers: `name` as the model writes
it and `name_display` in the request's language (Accept-Language), each
element's by its own version's translations (engine/labels.py).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from obieg.engine.api.definition_views import ManagesProcesses
from obieg.engine.migration import cases as migration
from obieg.engine.migration.diff import diff_versions
from obieg.engine.models import ProcessDefinition
from obieg.engine.selectors import MAX_ID


def _version(pk) -> ProcessDefinition:
    if int(pk) > MAX_ID:
        raise Http404
    definition = ProcessDefinition.objects.filter(pk=pk).first()
    if definition is None:
        raise Http404
    return definition


class ChangeSerializer(serializers.Serializer):
    what = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


NAME_DISPLAY_HELP = "`name` in the request's language (Accept-Language), by its own version."


class ElementDiffSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    name_display = serializers.CharField(help_text=NAME_DISPLAY_HELP)
    kind = serializers.CharField()
    state = serializers.ChoiceField(choices=["added", "removed", "changed"])
    changes = ChangeSerializer(many=True)


class DiffSerializer(serializers.Serializer):
    older = serializers.IntegerField(help_text="id of the older version")
    newer = serializers.IntegerField(help_text="id of the newer version")
    elements = ElementDiffSerializer(many=True)


class LandingSerializer(serializers.Serializer):
    from_id = serializers.CharField()
    from_name = serializers.CharField()
    from_name_display = serializers.CharField(
        help_text="`from_name` in the request's language, by the case's (source) version."
    )
    to_id = serializers.CharField()
    to_name = serializers.CharField()
    to_name_display = serializers.CharField(
        help_text="`to_name` in the request's language, by the target version."
    )
    kind = serializers.CharField()


class WaitingStepSerializer(serializers.Serializer):
    element_id = serializers.CharField()
    name = serializers.CharField()
    name_display = serializers.CharField(help_text=NAME_DISPLAY_HELP)


class CaseOutcomeSerializer(serializers.Serializer):
    case_id = serializers.IntegerField()
    title = serializers.CharField(
        allow_null=True,
        help_text=(
            "null when you may not see the case: a process administrator sees no customer "
            "records, so cases are named by number, version and current steps"
        ),
    )
    title_display = serializers.CharField(
        allow_null=True,
        help_text=(
            "the title in the request's language (one that is only its process's name is "
            "translated); null when `title` is"
        ),
    )
    version = serializers.IntegerField(help_text="the version the case runs on")
    waiting = WaitingStepSerializer(
        many=True, help_text="the elements the case waits in (its current steps)"
    )
    revision = serializers.IntegerField()
    movable = serializers.BooleanField()
    moved = serializers.BooleanField()
    landings = LandingSerializer(many=True)
    reasons = serializers.ListField(child=serializers.CharField())


class MappingRowSerializer(serializers.Serializer):
    element_id = serializers.CharField()
    name = serializers.CharField()
    name_display = serializers.CharField(help_text=NAME_DISPLAY_HELP)
    kind = serializers.CharField()
    suggestion = serializers.CharField()
    choices = serializers.SerializerMethodField()

    def get_choices(self, row) -> list[str]:
        return [value for value, _label in row.choices]


class DryRunRequest(serializers.Serializer):
    target = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    mapping = serializers.DictField(
        child=serializers.CharField(max_length=200, allow_blank=True), required=False, default=dict
    )
    after = serializers.IntegerField(min_value=0, max_value=MAX_ID, required=False, default=0)


class CaseRevision(serializers.Serializer):
    id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    revision = serializers.IntegerField(min_value=0)


class RunRequest(serializers.Serializer):
    target = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    mapping = serializers.DictField(
        child=serializers.CharField(max_length=200, allow_blank=True), required=False, default=dict
    )
    cases = CaseRevision(many=True, allow_empty=False, max_length=migration.PAGE)  # type: ignore[call-arg]


def _target(source, pk) -> ProcessDefinition:
    target = ProcessDefinition.objects.filter(pk=pk).first()
    if target is None:
        raise serializers.ValidationError({"target": [_("There is no such version.")]})
    return target


class VersionDiffView(APIView):
    permission_classes = [IsAuthenticated, ManagesProcesses]

    @extend_schema(
        summary="What changed between two versions of a process: elements added, removed, changed",
        parameters=[OpenApiParameter("other", OpenApiTypes.INT, required=True)],
        responses={200: DiffSerializer},
    )
    def get(self, request, pk):
        definition = _version(pk)
        other_id = request.query_params.get("other", "")
        if not other_id.isdigit():
            raise serializers.ValidationError({"other": [_("Give the id of another version.")]})
        other = _version(other_id)
        if other.key != definition.key:
            raise serializers.ValidationError(
                {"other": [_("Choose a version of the same process.")]}
            )
        older, newer = sorted([definition, other], key=lambda d: d.version)
        diff = diff_versions(older, newer)
        body = {"older": older.pk, "newer": newer.pk, "elements": diff.all}
        return Response(DiffSerializer(body).data)


class MigrationDryRunView(APIView):
    permission_classes = [IsAuthenticated, ManagesProcesses]

    @extend_schema(
        summary="Dry run: where each running case of this version would land in the target",
        description=(
            "Writes nothing. `mapping` maps elements this version has and the target lacks "
            "to target elements (an id maps to itself). A page of cases by id; `next_after` "
            "continues."
        ),
        request=DryRunRequest,
        responses={
            200: inline_serializer(
                "MigrationDryRun",
                {
                    "mapping_rows": MappingRowSerializer(many=True),
                    "cases": CaseOutcomeSerializer(many=True),
                    "next_after": serializers.IntegerField(allow_null=True),
                },
            )
        },
    )
    def post(self, request, pk):
        source = _version(pk)
        given = DryRunRequest(data=request.data)
        given.is_valid(raise_exception=True)
        target = _target(source, given.validated_data["target"])
        dry = migration.dry_run(
            actor=request.user,
            source=source,
            target=target,
            mapping=given.validated_data["mapping"],
            after=given.validated_data["after"],
        )
        return Response(
            {
                "mapping_rows": MappingRowSerializer(
                    migration.mapping_rows(source, target), many=True
                ).data,
                "cases": CaseOutcomeSerializer(dry.outcomes, many=True).data,
                "next_after": dry.next_after,
            }
        )


class MigrationRunView(APIView):
    permission_classes = [IsAuthenticated, ManagesProcesses]

    @extend_schema(
        summary="Move the given running cases to the target version, each on its own",
        description=(
            "Each case moves in its own transaction, only at the revision given (from a dry "
            "run): a case changed since, or one that cannot move, is reported and stays."
        ),
        request=RunRequest,
        responses={
            200: inline_serializer("MigrationRun", {"cases": CaseOutcomeSerializer(many=True)})
        },
    )
    def post(self, request, pk):
        source = _version(pk)
        given = RunRequest(data=request.data)
        given.is_valid(raise_exception=True)
        target = _target(source, given.validated_data["target"])
        cases = {item["id"]: item["revision"] for item in given.validated_data["cases"]}
        outcomes = migration.migrate_cases(
            actor=request.user,
            source=source,
            target=target,
            mapping=given.validated_data["mapping"],
            cases=cases,
        )
        return Response({"cases": CaseOutcomeSerializer(outcomes, many=True).data})
