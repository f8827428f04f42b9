"""Optimistic concurrency of API updates: a change applies only to the revision the client read.

Every PUT and PATCH of a record names the revision it was made against,
in the body (`revision`) or as the record's ETag in an `If-Match` header
(the API returns `ETag: "<revision>"` with the record). Without either the
answer is 428 Precondition Required: the change would silently overwrite
whatever was saved in the meantime. With a revision that is no longer the
record's, the answer is 409 naming who saved since, when the audit trail
knows. Nothing is changed in either case.

The check here answers early and names the person; the services check the
revision again on the locked row, so two saves at the same moment cannot
both pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from obieg.core.errors import ApplicationError, Conflict
from obieg.core.models import AuditEntry

# One entity tag as the API sends it: the revision in double quotes; a list of them.
ENTITY_TAG = r'"[0-9]{1,19}"'
ENTITY_TAGS = rf"{ENTITY_TAG}(?:\s*,\s*{ENTITY_TAG})*"
# What If-Match may hold: tags, "*" (names no revision) or nothing.
IF_MATCH_PATTERN = rf"^\s*(?:\*|{ENTITY_TAGS})?\s*$"
_TAG = re.compile(r'"([0-9]{1,19})"')


def etag(revision: int) -> str:
    return f'"{revision}"'


class PreconditionRequired(ApplicationError):
    """An update that does not say which revision it was made against."""

    status_code = 428


class StaleRevision(Conflict):
    """The record was saved by someone else since the revision the client read."""

    def __init__(self, message: str, *, conflict: dict):
        super().__init__(message)
        self.conflict = conflict


@dataclass(frozen=True)
class Precondition:
    """The revisions a client accepts: the body's, and any of the If-Match tags."""

    body: int | None
    tags: frozenset[int] | None

    def holds_for(self, revision: int) -> bool:
        if self.body is not None and self.body != revision:
            return False
        return self.tags is None or revision in self.tags


def precondition(request, body_revision: int | None) -> Precondition:
    """What the request says it was made against; 428 when it says nothing, 400 when garbled."""
    tags = _if_match(request)
    if body_revision is None and tags is None:
        message = _(
            "Send the revision you read (the record's `revision`, or its ETag in an "
            "If-Match header), so that a change saved meanwhile is not overwritten."
        )
        raise PreconditionRequired(message, field_errors={"revision": [message]})
    return Precondition(body=body_revision, tags=tags)


def _if_match(request) -> frozenset[int] | None:
    header = request.headers.get("If-Match", "").strip()
    # "*" only asks that the record exist: it names no revision.
    if not header or header == "*":
        return None
    if not re.fullmatch(ENTITY_TAGS, header):
        message = _('If-Match takes the ETag the API returned with the record, e.g. "3".')
        raise ApplicationError(message, field_errors={"revision": [message]})
    return frozenset(int(tag) for tag in _TAG.findall(header))


def ensure_current(record, condition: Precondition) -> int:
    """The record's revision when the request was made against it; else 409 naming who saved."""
    if not condition.holds_for(record.revision):
        raise stale(record)
    return record.revision


def reread(record):
    """The record's row as saved now (after a service refused a revision that went stale)."""
    return type(record)._default_manager.filter(pk=record.pk).first() or record


def stale(record) -> StaleRevision:
    entry = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(record, for_concrete_model=True),
            object_id=record.pk,
        )
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    conflict = {"revision": record.revision, "changed_by": None, "changed_at": None}
    if entry is None:
        message = _(
            "This record was changed by someone else in the meantime; reload it and try again."
        )
        return StaleRevision(message, conflict=conflict)
    when = formats.date_format(timezone.localtime(entry.at), "SHORT_DATETIME_FORMAT")
    conflict["changed_at"] = entry.at
    if entry.actor is None:
        message = _(
            "This record was changed automatically at %(when)s (it is now at revision "
            "%(revision)s); reload it and make your change again."
        ) % {"when": when, "revision": record.revision}
    else:
        conflict["changed_by"] = str(entry.actor)
        message = _(
            "%(person)s changed this record at %(when)s (it is now at revision %(revision)s); "
            "reload it and make your change again."
        ) % {"person": entry.actor, "when": when, "revision": record.revision}
    return StaleRevision(message, conflict=conflict)
