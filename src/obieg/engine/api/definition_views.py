"""`/api/engine/definitions/`: list versions, download a file, check and deploy models.

Process administrators and administrators only. Checking and deploying run
the same checks as the studio and `obieg deploy` (`engine.studio.workspace`):
files are laid over their solution's current files; every problem comes back
at once, naming its element; a refused deploy changes nothing.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response

from obieg.api.filters import FilterSet
from obieg.core.errors import ApplicationError
from obieg.engine.api import definition_serializers as s
from obieg.engine.models import ACTIVE_CASE_STATUSES, DeployOrigin, ProcessDefinition
from obieg.engine.studio import selectors, workspace
from obieg.engine.studio.permissions import may_manage_processes
from obieg.engine.web.views_studio import finding_json


class XmlRenderer(BaseRenderer):
    """Lets clients ask for XML; the view returns the file itself."""

    media_type = "application/xml"
    format = "xml"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class ManagesProcesses(BasePermission):
    message = _("Only process administrators and administrators work with process models.")

    def has_permission(self, request, view):
        return may_manage_processes(request.user)


class DefinitionFilter(FilterSet):
    key = filters.CharFilter(max_length=200)
    solution = filters.CharFilter(max_length=100)

    class Meta:
        model = ProcessDefinition
        fields = ["key", "solution"]


def _solution(given: dict, files: dict[str, str]) -> str:
    if "solution" not in given:
        return workspace.solution_of(files)
    solution = given["solution"]
    if solution not in workspace.solutions():
        raise ApplicationError(
            _("There is no such solution."), field_errors={"solution": [_("Choose a solution.")]}
        )
    return solution


def _read(request) -> tuple[str, dict[str, str]]:
    given = s.ModelFilesSerializer(data=request.data)
    given.is_valid(raise_exception=True)
    files = workspace.read_uploads(given.validated_data["files"])
    return _solution(given.validated_data, files), files


def _result(outcome, *, with_versions: bool) -> dict:
    body = {
        "solution": outcome.solution,
        "refused": outcome.refused,
        "findings": [finding_json(f) for f in outcome.findings],
    }
    if with_versions:
        body["created"] = s.DefinitionSerializer(_with_counts(outcome.created), many=True).data
        body["unchanged"] = s.DefinitionSerializer(_with_counts(outcome.unchanged), many=True).data
    return body


def _with_counts(definitions):
    for definition in definitions:
        definition.running_cases = definition.cases.filter(status__in=ACTIVE_CASE_STATUSES).count()
    return definitions


class DefinitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Deployed process versions, newest first (process administrators and administrators)."""

    permission_classes = [IsAuthenticated, ManagesProcesses]
    serializer_class = s.DefinitionSerializer
    filterset_class = DefinitionFilter
    search_fields = ["key", "name"]
    ordering_fields = ["deployed_at", "id"]
    ordering = ["-deployed_at"]

    def get_queryset(self):
        running = Count("cases", filter=Q(cases__status__in=ACTIVE_CASE_STATUSES))
        return ProcessDefinition.objects.select_related("deployed_by").annotate(
            running_cases=running
        )

    @extend_schema(
        summary="A file of the version as deployed (its process file unless `file` names another)",
        parameters=[OpenApiParameter("file", OpenApiTypes.STR, required=False)],
        responses={(200, "application/xml"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], renderer_classes=[XmlRenderer])
    def download(self, request, pk=None):
        found = selectors.version_file(self.get_object(), request.query_params.get("file"))
        if found is None:
            raise Http404
        name, xml = found
        response = HttpResponse(xml, content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @extend_schema(
        summary="Check model files as a deploy would, deploying nothing: every problem at once",
        request={"multipart/form-data": s.ModelFilesSerializer},
        responses={200: s.CheckResultSerializer},
    )
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def validate(self, request):
        solution, files = _read(request)
        outcome = workspace.check(solution=solution, files=files)
        return Response(_result(outcome, with_versions=False))

    @extend_schema(
        summary="Deploy model files: a new version of each process whose files changed",
        description=(
            "All or nothing. Refused (400, `findings` listing every problem) when a file has "
            "one; running cases stay on their versions."
        ),
        request={"multipart/form-data": s.ModelFilesSerializer},
        responses={201: s.DeployResultSerializer},
    )
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def deploy(self, request):
        solution, files = _read(request)
        outcome = workspace.deploy_files(
            solution=solution, files=files, actor=request.user, origin=DeployOrigin.API
        )
        if outcome.refused:
            body = _result(outcome, with_versions=False)
            body["detail"] = _("Nothing was deployed: the models have problems.")
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(_result(outcome, with_versions=True), status=status.HTTP_201_CREATED)
