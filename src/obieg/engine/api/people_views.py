"""Administrators keep the names models use for people, and hand out unassigned work.

`name-mappings/`: a name written in models (a Camunda candidate group such
as `accounting`) and the role, department or user it means here.
`unassigned/`: open tasks no person or queue has; hand one out with
`work-items/{id}/reassign/`.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from obieg.core import access
from obieg.engine import unassigned
from obieg.engine.api.serializers import WorkItemSerializer
from obieg.engine.models import NameMapping


class IsAdministrator(BasePermission):
    message = _("Only administrators may do this.")

    def has_permission(self, request, view):
        return bool(request.user.is_authenticated and access.is_admin(request.user))


class NameMappingSerializer(serializers.ModelSerializer):
    role = serializers.SlugRelatedField(
        slug_field="name",
        queryset=Group.objects.all(),
        required=False,
        allow_null=True,
        help_text="A role (group) name.",
    )

    class Meta:
        model = NameMapping
        fields = ["id", "name", "role", "department", "user", "updated_at"]
        read_only_fields = ["id", "updated_at"]

    def validate_name(self, value: str) -> str:
        value = value.strip()
        taken = NameMapping.objects.filter(name__iexact=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError(_("This name is already mapped."))
        return value

    def validate(self, attrs):
        merged = {
            key: attrs.get(key, getattr(self.instance, key, None) if self.instance else None)
            for key in ("role", "department", "user")
        }
        if sum(value is not None for value in merged.values()) != 1:
            raise serializers.ValidationError(
                {"role": [_("Choose exactly one: a role, a department or a user.")]}
            )
        return attrs


class NameMappingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Names models use for people and who they mean here (administrators).

    Made and removed, never changed in place: a mapping is one line, and
    replacing it (remove, then add) leaves no half-changed state to race on.
    """

    permission_classes = [IsAuthenticated, IsAdministrator]
    serializer_class = NameMappingSerializer
    queryset = NameMapping.objects.select_related("role").order_by("name", "id")
    ordering = ["name"]
    ordering_fields = ["name", "id"]
    search_fields = ["name"]
    filter_backends = []


class UnassignedWorkView(APIView):
    """Open tasks nobody and no queue has (administrators), oldest first."""

    permission_classes = [IsAuthenticated, IsAdministrator]

    @extend_schema(
        summary="The unassigned work queue; hand a task out with work-items/{id}/reassign/",
        responses={200: WorkItemSerializer(many=True)},
    )
    def get(self, request):
        rows = unassigned.unassigned_items().select_related("assignee", "candidate_department")
        return Response(WorkItemSerializer(rows[: unassigned.LIMIT], many=True).data)
