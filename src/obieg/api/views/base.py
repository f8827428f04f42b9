"""The base of the record endpoints: reads through the access policy, writes through services.

Every queryset passes `access.visible`, so a record outside the user's scope
is a 404 on every route. Creates, updates and deletes never save a model
from the serializer: each viewset names the service functions that check
access, validate, bump the revision and write the audit entry. Updates are
conditional on the revision the client read (`obieg.api.concurrency`).
"""

from __future__ import annotations

from typing import Any

from rest_framework import mixins, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from obieg.api import concurrency
from obieg.api.permissions import WritesNeedAWorkingRole
from obieg.core import access
from obieg.core.errors import Conflict


class RevisionETagMixin:
    """`ETag: "<revision>"` on a record read, created or updated; `If-Match` sends it back."""

    etag_actions = ("retrieve", "create", "update", "partial_update")

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (
            getattr(self, "action", None) in self.etag_actions
            and status.is_success(response.status_code)
            and isinstance(data, dict)
            and isinstance(data.get("revision"), int)
        ):
            response["ETag"] = concurrency.etag(data["revision"])
        return response


class RecordViewSet(
    RevisionETagMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsAuthenticated, WritesNeedAWorkingRole]
    # Used for PUT/PATCH where some fields (the account …) are fixed after creation.
    update_serializer_class = None

    def get_queryset(self):
        return access.visible(super().get_queryset(), self.request.user)

    def get_serializer_class(self):
        if self.action in ("update", "partial_update") and self.update_serializer_class:
            return self.update_serializer_class
        return super().get_serializer_class()

    def validated(self, serializer_class=None, **kwargs) -> dict[str, Any]:
        serializer_class = serializer_class or self.get_serializer_class()
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def respond(self, instance, status_code=status.HTTP_200_OK, serializer_class=None):
        serializer_class = serializer_class or self.get_serializer_class()
        data = serializer_class(instance, context=self.get_serializer_context()).data
        return Response(data, status=status_code)


class CreateMixin:
    def create(self, request, *args, **kwargs):
        data = self.validated()
        data.pop("revision", None)
        return self.respond(self.create_record(data), status.HTTP_201_CREATED)

    def create_record(self, data: dict[str, Any]):
        raise NotImplementedError


class UpdateMixin:
    """PUT/PATCH, applied only to the revision the client read: 428 without one, 409 when stale."""

    def update(self, request, *args, partial=False, **kwargs):
        instance = self.get_object()
        data = self.validated(instance=instance, partial=partial)
        condition = concurrency.precondition(request, data.pop("revision", None))
        revision = concurrency.ensure_current(instance, condition)
        try:
            record = self.update_record(instance, data, revision)
        except Conflict:
            # Saved by someone else between our read and the service's row lock:
            # name them; any other conflict goes out as the service raised it.
            concurrency.ensure_current(concurrency.reread(instance), condition)
            raise
        return self.respond(record)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def update_record(self, instance, data: dict[str, Any], revision: int):
        raise NotImplementedError


class DestroyMixin:
    def destroy(self, request, *args, **kwargs):
        self.delete_record(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def delete_record(self, instance) -> None:
        raise NotImplementedError
