"""The calendar API: crews, events and availability under /api/scheduling/.

Reads go through the calendar's visibility rules (selectors); writes go to
the services, which check the planner role and record history, so a
refused request changes nothing and answers 403/400/409, never 500.
"""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from obieg.api.filters import FilterSet, IdFilter
from obieg.api.routers import RecordRouter
from obieg.api.views.base import CreateMixin, DestroyMixin, RecordViewSet, UpdateMixin
from obieg.api.views.history import HistoryMixin
from obieg.scheduling import api_serializers as s
from obieg.scheduling import availability, crews, events, selectors
from obieg.scheduling.models import CalendarEvent, Crew


def _ref(name: str) -> IdFilter:
    return IdFilter(field_name=name, min_value=1, max_value=2**63 - 1)


class CrewFilter(FilterSet):
    skill = filters.CharFilter(field_name="skills__code", distinct=True)
    member = _ref("members")

    class Meta:
        model = Crew
        fields = ["kind", "active", "skill", "member"]


class CrewViewSet(CreateMixin, UpdateMixin, HistoryMixin, RecordViewSet):
    """Crews (own or subcontracted): members, skills, working days, feed URL, sync status."""

    queryset = Crew.objects.all()
    serializer_class = s.CrewSerializer
    filterset_class = CrewFilter
    search_fields = ["name", "company"]
    ordering_fields = ["name", "id"]
    ordering = ["name"]

    def get_queryset(self):
        crews = selectors.visible_crews(self.request.user)
        return crews.select_related("caldav").prefetch_related("members", "skills")

    @staticmethod
    def _split(data: dict) -> tuple[dict, dict]:
        related = {name: data.pop(name) for name in ("members", "skills") if name in data}
        return data, related

    def create_record(self, data):
        data, related = self._split(data)
        return crews.crew_create(actor=self.request.user, data=data, **related)

    def update_record(self, instance, data, revision):
        data, related = self._split(data)
        return crews.crew_update(
            actor=self.request.user, crew=instance, data=data, revision=revision, **related
        )


class EventFilter(FilterSet):
    crew = _ref("crew_id")
    user = _ref("user_id")
    subject_id = _ref("subject_id")
    subject_type = filters.CharFilter(method="filter_subject_type")
    starts_before = filters.IsoDateTimeFilter(field_name="start", lookup_expr="lt")
    ends_after = filters.IsoDateTimeFilter(field_name="end", lookup_expr="gt")

    class Meta:
        model = CalendarEvent
        fields = ["crew", "user", "status", "subject_id"]

    def filter_subject_type(self, queryset, name, value):
        app_label, _dot, model = value.partition(".")
        return queryset.filter(subject_type__app_label=app_label, subject_type__model=model)


class EventViewSet(CreateMixin, UpdateMixin, DestroyMixin, HistoryMixin, RecordViewSet):
    """Calendar events of crews and people, tied to business records; DELETE cancels."""

    queryset = CalendarEvent.objects.select_related("crew", "subject_type")
    serializer_class = s.EventSerializer
    filterset_class = EventFilter
    search_fields = ["title", "location"]
    ordering_fields = ["start", "end", "id"]
    ordering = ["start"]

    def get_queryset(self):
        return selectors.visible_events(self.request.user, self.queryset.all())

    def create_record(self, data):
        return events.event_create(actor=self.request.user, **data)

    def update_record(self, instance, data, revision):
        data.pop("subject", None)  # the record an event is for does not change
        return events.event_update(
            actor=self.request.user, event=instance, data=data, revision=revision
        )

    def delete_record(self, instance):
        events.event_cancel(actor=self.request.user, event=instance)


class AvailabilityView(APIView):
    """Day by day, which visible crews are free, busy, off or on a public holiday."""

    @extend_schema(
        parameters=[s.AvailabilityQuerySerializer],
        responses=s.CrewAvailabilitySerializer(many=True),
    )
    def get(self, request):
        query = s.AvailabilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        candidates = selectors.visible_crews(request.user).filter(active=True)
        if params.get("crew"):
            candidates = candidates.filter(pk=params["crew"])
        codes = [code.strip() for code in params.get("skills", "").split(",") if code.strip()]
        candidates = availability.with_skills(candidates, codes)
        rows = availability.crews_availability(candidates, params["start"], params["end"])
        if params["free_only"]:
            rows = [row for row in rows if row.free]
        data = s.CrewAvailabilitySerializer(rows, many=True).data
        return Response(data, status=status.HTTP_200_OK)


router = RecordRouter()
router.register("crews", CrewViewSet, basename="crew")
router.register("events", EventViewSet, basename="event")
