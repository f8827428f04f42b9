"""POST /api/accounts/{id}/merge/: merge a duplicate into this account (crm.merge)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from obieg.api import concurrency
from obieg.api.serializers.account_merge import (
    AccountMergeResultSerializer,
    AccountMergeSerializer,
)
from obieg.api.serializers.errors import ErrorSerializer
from obieg.core.errors import Conflict
from obieg.crm import merge


class AccountMergeMixin:
    """The `merge` action of the account endpoint."""

    @extend_schema(
        summary="Merge a duplicate account into this one",
        description=(
            "Moves every record of the duplicate (contacts, activities, leads, opportunities, "
            "offers, contracts, invoices, documents, the solutions' records, cases) to this "
            "account, applies the chosen values, and deletes the duplicate, in one transaction. "
            "Both revisions must be the ones compared: 428 without this account's, 409 when "
            "either is stale. Allowed to administrators, sales managers, and the owner of both."
        ),
        request=AccountMergeSerializer,
        responses={
            200: AccountMergeResultSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Bad choices, or a unique clash"),
            403: OpenApiResponse(ErrorSerializer, description="Not allowed to merge these"),
            409: OpenApiResponse(ErrorSerializer, description="A revision is stale"),
            428: OpenApiResponse(ErrorSerializer, description="No revision sent"),
        },
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        survivor = self.get_object()
        data = self.validated(AccountMergeSerializer)
        condition = concurrency.precondition(request, data.get("revision"))
        revision = concurrency.ensure_current(survivor, condition)
        duplicate = data["duplicate"]
        try:
            result = merge.account_merge(
                actor=request.user,
                survivor=survivor,
                duplicate=duplicate,
                survivor_revision=revision,
                duplicate_revision=data["duplicate_revision"],
                choices=data["choices"],
            )
        except Conflict:
            # Name who saved the survivor meanwhile, when it was that one.
            concurrency.ensure_current(concurrency.reread(survivor), condition)
            raise
        body = AccountMergeResultSerializer(
            {
                "account": result.survivor,
                "moved": result.moved,
                "chosen": result.chosen,
                "filled": result.filled,
            },
            context=self.get_serializer_context(),
        ).data
        return Response(body)
