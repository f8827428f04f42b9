"""Reads of imports: a person sees only the files they uploaded."""

from __future__ import annotations

from django.http import Http404

from obieg.dataio.models import ImportBatch

RECENT = 10


def batch_get(user, pk) -> ImportBatch:
    """The import `pk` if `user` uploaded it, else Http404."""
    try:
        return ImportBatch.objects.get(pk=pk, created_by=user)
    except (ImportBatch.DoesNotExist, ValueError) as error:
        raise Http404 from error


def recent_batches(user) -> list[ImportBatch]:
    """The user's latest imports (without their rows, which can be large)."""
    return list(
        ImportBatch.objects.filter(created_by=user)
        .defer("rows", "outcomes")
        .order_by("-created_at")[:RECENT]
    )
