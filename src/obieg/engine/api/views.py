"""The engine API: start and read cases, list my work, claim, complete, send messages and signals.

Views parse input and call the engine's services and selectors; every
refusal is an ApplicationError the API renders as 400/403/409 with field
errors, and a case or task the user may not see is a 404.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from obieg.api.filters import FilterSet
from obieg.api.permissions import WritesNeedAWorkingRole
from obieg.core import access
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.engine import selectors
from obieg.engine.api import serializers as s
from obieg.engine.models import ACTIVE_CASE_STATUSES, Case, CaseStatus, CorrelationKey, WorkItem
from obieg.engine.reading import reading_for
from obieg.engine.runtime import services as engine
from obieg.engine.runtime.external_tasks import may_work
from obieg.engine.runtime.signals import send_signal

PAGE_SIZE = 50


class CaseFilter(FilterSet):
    status = filters.ChoiceFilter(choices=CaseStatus.choices)
    process = filters.CharFilter(field_name="definition__key", max_length=200)

    class Meta:
        model = Case
        fields = ["status", "process"]


def _subject(user, type_label: str | None, subject_id: int | None):
    """The business record a new case is for: one the user may see, else a field error."""
    if not type_label and subject_id is None:
        return None
    app_label, _dot, model_name = (type_label or "").partition(".")
    content_type = ContentType.objects.filter(app_label=app_label, model=model_name).first()
    model = content_type.model_class() if content_type else None
    record = None
    if model is not None and hasattr(model, "access") and subject_id is not None:
        record = access.visible(model._default_manager.filter(pk=subject_id), user).first()
    if record is None:
        raise ApplicationError(
            _("There is no such record."),
            field_errors={"subject_id": [_("Choose a record you can see.")]},
        )
    return record


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases the user takes part in or oversees, newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.CaseSerializer
    filterset_class = CaseFilter
    search_fields = ["title"]
    ordering_fields = ["started_at", "updated_at", "id"]
    ordering = ["-started_at"]

    def get_queryset(self):
        # Each row names its subject: one query per subject type, not one per case.
        # A row shows its process and subject, not the case's data or owner's
        # details: those columns are not read (a case's data can be large).
        return (
            selectors.cases_for(self.request.user)
            .select_related(None)
            .select_related("definition", "subject_type")
            .defer("data", "pending_step", "error_message", "cancel_reason")
            .prefetch_related("subject")
        )

    def get_object(self):
        case = selectors.case_for(self.request.user, self.kwargs["pk"])
        case.item_rows = selectors.case_work_items(case)
        case.event_rows = selectors.case_history(case)
        # What the subject lets this user read of the data (an installer: no costs, no links).
        reading = reading_for(self.request.user, case)
        case.data = reading.data(case.data)
        for event in case.event_rows:
            event.data = reading.data(event.data)
        diagram = selectors.case_diagram(case)
        case.diagram_view = {
            "xml": diagram.bpmn,
            "element_states": diagram.element_states,
            "failed_element": diagram.failed_element,
        }
        return case

    @extend_schema(
        summary="A case with its data, tasks, history and live diagram (BPMN XML + states)",
        responses={200: s.CaseDetailSerializer},
    )
    def retrieve(self, request, *args, **kwargs):
        return Response(s.CaseDetailSerializer(self.get_object()).data)

    @extend_schema(
        summary="Start a case of the latest version of a process",
        request=s.CaseStartSerializer,
        responses={201: s.CaseDetailSerializer},
    )
    def create(self, request, *args, **kwargs):
        if not WritesNeedAWorkingRole().has_permission(request, self):
            self.permission_denied(request, message=WritesNeedAWorkingRole.message)
        given = s.CaseStartSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        subject = _subject(request.user, data.get("subject_type"), data.get("subject_id"))
        case = engine.start_case(
            process=data["process"],
            actor=request.user,
            subject=subject,
            data=data.get("data") or {},
            title=data.get("title", ""),
            keys=data.get("keys", []),
        )
        self.kwargs["pk"] = case.pk
        detail = s.CaseDetailSerializer(self.get_object()).data
        return Response(detail, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel the case for good (reason required)",
        request=s.CancelSerializer,
        responses={200: s.CaseSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        case = selectors.case_for(request.user, pk)
        given = s.CancelSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        case = engine.cancel_case(
            case=case, actor=request.user, reason=given.validated_data["reason"]
        )
        return Response(s.CaseSerializer(case).data)

    @extend_schema(
        summary="Replay the failed step, as it was or with corrected data (administrators)",
        request=s.RetrySerializer,
        responses={200: s.CaseSerializer},
    )
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        case = selectors.case_for(request.user, pk)
        given = s.RetrySerializer(data=request.data)
        given.is_valid(raise_exception=True)
        case = engine.retry_case(
            case=case, actor=request.user, data=given.validated_data.get("data")
        )
        return Response(s.CaseSerializer(case).data)

    @extend_schema(
        summary="The failed step's data and the tasks the case can go back to (administrators)",
        responses={200: s.RepairSerializer},
    )
    @action(detail=True, methods=["get"])
    def repair(self, request, pk=None):
        case = selectors.case_for(request.user, pk)
        if not access.is_admin(request.user):
            raise PermissionDenied(_("Only an administrator can repair a case."))
        pending = case.pending_step or {}
        return Response(
            s.RepairSerializer(
                {
                    "pending_kind": pending.get("kind") if case.status == "error" else None,
                    "pending_data": engine.pending_data(case),
                    "return_points": engine.return_points(case),
                }
            ).data
        )

    @extend_schema(
        summary="Move the case back to a task it passed (administrators; recorded with a reason)",
        request=s.MoveBackSerializer,
        responses={200: s.CaseSerializer},
    )
    @action(detail=True, methods=["post"], url_path="move-back")
    def move_back(self, request, pk=None):
        case = selectors.case_for(request.user, pk)
        given = s.MoveBackSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        case = engine.move_case_back(
            case=case,
            actor=request.user,
            task_id=given.validated_data["task"],
            reason=given.validated_data["reason"],
        )
        return Response(s.CaseSerializer(case).data)


class WorkItemViewSet(viewsets.GenericViewSet):
    """My work: my tasks and my groups' unclaimed ones; claim, release, complete, hand over."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.WorkItemDetailSerializer
    queryset = WorkItem.objects.none()  # for the schema's path types; reads go to selectors
    pagination_class = None
    filter_backends = []

    def get_object(self):
        return selectors.work_item_for(self.request.user, self.kwargs["pk"])

    @extend_schema(
        summary="My open tasks and my groups' unclaimed ones, overdue first",
        parameters=[
            OpenApiParameter("process", OpenApiTypes.STR, description="A process key."),
            OpenApiParameter("step", OpenApiTypes.STR, description="A user task's element id."),
            OpenApiParameter("cursor", OpenApiTypes.STR, description="From `next`."),
        ],
        responses={200: s.WorkItemPageSerializer},
    )
    def list(self, request):
        params = request.query_params
        page = selectors.inbox_page(
            request.user,
            size=PAGE_SIZE,
            cursor=params.get("cursor"),
            process=params.get("process", "")[:200],
            element=params.get("step", "")[:200],
        )
        next_url = None
        if page.next_cursor:
            next_url = replace_query_param(request.build_absolute_uri(), "cursor", page.next_cursor)
        rows = s.WorkItemSerializer(page.rows, many=True).data
        return Response({"next": next_url, "results": rows})

    @extend_schema(
        summary="One task, with the form fields `complete` expects",
        responses={200: s.WorkItemDetailSerializer},
    )
    def retrieve(self, request, pk=None):
        return Response(s.WorkItemDetailSerializer(self.get_object()).data)

    @extend_schema(
        summary="Take a task from its queue",
        request=None,
        responses={200: s.WorkItemSerializer},
    )
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        item = engine.claim(work_item=self.get_object(), actor=request.user)
        return Response(s.WorkItemSerializer(item).data)

    @extend_schema(
        summary="Give a claimed task back to its queue",
        request=None,
        responses={200: s.WorkItemSerializer},
    )
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        item = engine.release(work_item=self.get_object(), actor=request.user)
        return Response(s.WorkItemSerializer(item).data)

    @extend_schema(
        summary="Complete the task with its form data and run the case on",
        description="400 with field errors when the data does not fit the task's form; 409 when "
        "the task was already completed (naming who did it), cancelled, or claimed or handed "
        "over since `revision`, or when an automatic step after it failed.",
        request=s.CompleteSerializer,
        responses={200: s.CompletionSerializer},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        item = self.get_object()
        given = s.CompleteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        engine.complete(
            work_item=item,
            actor=request.user,
            data=given.validated_data.get("data") or {},
            revision=given.validated_data.get("revision"),
        )
        item = self.get_object()
        body = {"work_item": item, "case": selectors.case_for(request.user, item.case_id)}
        return Response(s.CompletionSerializer(body).data)

    @extend_schema(
        summary="Hand the task to another person (managers)",
        request=s.ReassignSerializer,
        responses={200: s.WorkItemSerializer},
    )
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        item = self.get_object()
        given = s.ReassignSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        person = get_user_model().objects.filter(pk=given.validated_data["to"]).first()
        if person is None:
            raise ApplicationError(
                _("There is no such person."), field_errors={"to": [_("Choose a user.")]}
            )
        item = engine.reassign(work_item=item, actor=request.user, to=person)
        return Response(s.WorkItemSerializer(item).data)


class MessageView(APIView):
    """Deliver a message (a customer's acceptance, a payment …) to the cases waiting for it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Send a message to the cases waiting for it under a correlation key",
        request=s.MessageSerializer,
        responses={200: s.MessageResultSerializer},
    )
    def post(self, request):
        given = s.MessageSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        _ensure_may_address(request.user, data["key"], data["name"])
        # A message may start a case (a message start event): that is a write like any start.
        may_start = WritesNeedAWorkingRole().has_permission(request, self)
        cases = engine.send_message(
            name=data["name"],
            key=data["key"],
            payload=data.get("payload"),
            actor=request.user,
            may_start=may_start,
        )
        return Response({"cases": [case.pk for case in cases]})


class SignalView(APIView):
    """Broadcast a signal: every case waiting for it hears it, processes it starts begin."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Broadcast a BPMN signal to every case waiting for it (admins and worker accounts)",
        description="A signal is not addressed: every case waiting for a signal of this name "
        "catches it, and every process with a signal start event of this name starts a case. "
        "Administrators and integration (worker) accounts may send one.",
        request=s.SignalSerializer,
        responses={200: s.SignalResultSerializer},
    )
    def post(self, request):
        if not (access.is_admin(request.user) or may_work(request.user)):
            raise PermissionDenied(_("Only administrators and worker accounts may send signals."))
        given = s.SignalSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        caught, started = send_signal(
            name=data["name"], payload=data.get("payload"), actor=request.user
        )
        return Response(
            {"cases": [case.pk for case in caught], "started": [case.pk for case in started]}
        )


def _ensure_may_address(user, key: str, name: str) -> None:
    """Only someone who may see every case waiting under `key` may move them (or an admin).

    Refused the same way as "nobody waits", so the answer does not reveal other cases.
    """
    if access.is_admin(user):
        return
    waiting = CorrelationKey.objects.filter(key=key).values_list("case_id", flat=True)
    cases = Case.objects.filter(pk__in=waiting, status__in=ACTIVE_CASE_STATUSES).defer("state")
    if all(selectors.may_see_case(user, case) for case in cases.select_related("subject_type")):
        return
    raise ApplicationError(
        _("No case is waiting for the message %(name)r with key %(key)r.")
        % {"name": name, "key": key}
    )
