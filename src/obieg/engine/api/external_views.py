"""External tasks through the API: workers fetch and lock, complete, fail, throw BPMN errors.

Only worker accounts (the `engine.work_external_tasks` permission) and
administrators use these; everyone else gets 403. See docs/external-tasks.md.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from obieg.engine.api import external_serializers as s
from obieg.engine.models import ExternalTask, ExternalTaskStatus
from obieg.engine.runtime import external_tasks

LIST_LIMIT = 200


def _rows(queryset):
    return queryset.select_related("case__definition").defer(
        "case__state", "case__data", "case__definition__sources"
    )


class ExternalTaskViewSet(viewsets.GenericViewSet):
    """Service tasks waiting for external workers (Camunda's external task pattern)."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.ExternalTaskSerializer
    queryset = ExternalTask.objects.none()  # for the schema's path types
    pagination_class = None
    filter_backends = []

    def _task(self, pk) -> ExternalTask:
        external_tasks.ensure_may_work(self.request.user)
        task = _rows(ExternalTask.objects.filter(pk=pk)).first()
        if task is None:
            raise external_tasks.NoSuchTask(_("There is no such external task."))
        return task

    @extend_schema(
        summary="Open external tasks (workers and administrators), oldest first",
        parameters=[
            OpenApiParameter("topic", OpenApiTypes.STR),
            OpenApiParameter("incident", OpenApiTypes.BOOL),
        ],
        responses={200: s.ExternalTaskSerializer(many=True)},
    )
    def list(self, request):
        external_tasks.ensure_may_work(request.user)
        tasks = ExternalTask.objects.filter(status=ExternalTaskStatus.OPEN)
        topic = request.query_params.get("topic", "")[:200]
        if topic:
            tasks = tasks.filter(topic=topic)
        incident = request.query_params.get("incident", "")
        if incident in ("true", "false"):
            tasks = tasks.filter(incident=incident == "true")
        rows = _rows(tasks.order_by("created_at", "id"))[:LIST_LIMIT]
        return Response(s.ExternalTaskSerializer(rows, many=True).data)

    @extend_schema(summary="One external task", responses={200: s.ExternalTaskSerializer})
    def retrieve(self, request, pk=None):
        return Response(s.ExternalTaskSerializer(self._task(pk)).data)

    @extend_schema(
        summary="Fetch and lock open tasks of some topics for this worker",
        description="Each task goes to one worker only, however many fetch at once. A task is "
        "fetchable while unlocked (or its lock ran out), not waiting out a retry back-off and "
        "not an incident.",
        request=s.FetchAndLockSerializer,
        responses={200: s.ExternalTaskSerializer(many=True)},
    )
    @action(detail=False, methods=["post"], url_path="fetch-and-lock")
    def fetch_and_lock(self, request):
        given = s.FetchAndLockSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        locked = external_tasks.fetch_and_lock(
            worker_id=data["worker_id"],
            topics=[(topic["topic_name"], topic["lock_duration"]) for topic in data["topics"]],
            max_tasks=data["max_tasks"],
            actor=request.user,
        )
        rows = _rows(ExternalTask.objects.filter(pk__in=[task.pk for task in locked]))
        found = {task.pk: task for task in rows}
        ordered = [found[task.pk] for task in locked if task.pk in found]
        return Response(s.ExternalTaskSerializer(ordered, many=True).data)

    @extend_schema(
        summary="Complete a locked task with variables; the case runs on",
        description="409 when another worker holds the lock, the task is done, or a step after "
        "it failed.",
        request=s.CompleteExternalSerializer,
        responses={200: s.ExternalTaskSerializer},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        task = self._task(pk)
        given = s.CompleteExternalSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        external_tasks.complete(
            task_id=task.pk,
            worker_id=given.validated_data["worker_id"],
            variables=given.validated_data["variables"],
            actor=request.user,
        )
        return Response(s.ExternalTaskSerializer(self._task(pk)).data)

    @extend_schema(
        summary="Report a failure: retry after the back-off, or (no retries left) an incident",
        request=s.FailureSerializer,
        responses={200: s.ExternalTaskSerializer},
    )
    @action(detail=True, methods=["post"])
    def failure(self, request, pk=None):
        task = self._task(pk)
        given = s.FailureSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        external_tasks.report_failure(
            task_id=task.pk,
            worker_id=data["worker_id"],
            error_message=data["error_message"],
            error_details=data["error_details"],
            retries=data["retries"],
            retry_timeout_ms=data["retry_timeout"],
            actor=request.user,
        )
        return Response(s.ExternalTaskSerializer(self._task(pk)).data)

    @extend_schema(
        summary="Throw a BPMN error; the task's error boundary event with that code takes over",
        description="409 (and an incident) when no error event of the model catches the code.",
        request=s.BpmnErrorSerializer,
        responses={200: s.ExternalTaskSerializer},
    )
    @action(detail=True, methods=["post"], url_path="bpmn-error")
    def bpmn_error(self, request, pk=None):
        task = self._task(pk)
        given = s.BpmnErrorSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        external_tasks.throw_bpmn_error(
            task_id=task.pk,
            worker_id=data["worker_id"],
            error_code=data["error_code"],
            error_message=data["error_message"],
            variables=data["variables"],
            actor=request.user,
        )
        return Response(s.ExternalTaskSerializer(self._task(pk)).data)

    @extend_schema(
        summary="Set the retries of a task (administrators): resolves its incident",
        request=s.RetriesSerializer,
        responses={200: s.ExternalTaskSerializer},
    )
    @action(detail=True, methods=["post"])
    def retries(self, request, pk=None):
        task = self._task(pk)
        given = s.RetriesSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        external_tasks.set_retries(
            task_id=task.pk, retries=given.validated_data["retries"], actor=request.user
        )
        return Response(s.ExternalTaskSerializer(self._task(pk)).data)
