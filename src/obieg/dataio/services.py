"""Imports: a file is checked into a preview, then imported whole or not at all."""

from __future__ import annotations

from datetime import timedelta
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from obieg.core import access, clock
from obieg.core.errors import ApplicationError, Conflict, PermissionDenied
from obieg.dataio.checking import check_rows, read_rows
from obieg.dataio.models import ImportBatch
from obieg.dataio.reading import FileRejected, read_sheet
from obieg.dataio.types import RECORD_TYPES
from obieg.dataio.types.base import CREATE, ERROR, UNCHANGED, RowCheck

# A preview nobody confirmed is dropped after this long (its rows may hold personal data).
PREVIEW_LIFETIME = timedelta(days=1)


class PreviewOutdated(ApplicationError):
    """The records changed between the preview and the import: check the file again."""

    status_code = 409


def may_import(user) -> bool:
    """Importing adds records: whoever may add records by hand (not the board, not accounting).

    Each record type may ask more (`RecordType.may_import`: the catalogue's editors).
    """
    return access.may_create(user)


def importable_types(user) -> list:
    """The record types `user` may import."""
    return [kind for kind in RECORD_TYPES.values() if kind.may_import(user)]


def import_preview(
    *, actor, record_type: str, upload: IO[bytes], size: int, file_name: str, encoding: str
) -> ImportBatch:
    """Read and check an uploaded file; nothing is written but the preview itself."""
    if not may_import(actor):
        raise PermissionDenied(_("Your roles allow reading records, not importing them."))
    kind = RECORD_TYPES.get(record_type)
    if kind is None:
        raise ApplicationError(
            _("Choose what the file holds."), field_errors={"record_type": [_("Unknown type.")]}
        )
    if not kind.may_import(actor):
        raise PermissionDenied(str(kind.import_refusal))
    try:
        sheet = read_sheet(upload, size=size, encoding=encoding)
        mapping, rows = read_rows(kind, sheet)
    except FileRejected as error:
        raise ApplicationError(str(error), field_errors={"file": [str(error)]}) from error
    checks = check_rows(kind, actor, rows, mapping.headers)
    now = clock.now()
    with transaction.atomic():
        ImportBatch.objects.filter(
            status=ImportBatch.Status.PREVIEWED, created_at__lt=now - PREVIEW_LIFETIME
        ).delete()
        return ImportBatch.objects.create(
            created_by=actor,
            created_at=now,
            record_type=kind.key,
            file_name=file_name[:255],
            rows=[{"line": line, "cells": cells} for line, cells in rows],
            outcomes=[check.stored() for check in checks],
            headers=mapping.headers,
            ignored_columns=mapping.ignored,
        )


def import_recheck(*, actor, batch: ImportBatch) -> ImportBatch:
    """Check a waiting file's rows again against the records as they are now."""
    _ensure_waiting(actor, batch)
    checks = _checks(actor, batch)
    batch.outcomes = [check.stored() for check in checks]
    ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEWED).update(
        outcomes=batch.outcomes
    )
    return batch


@transaction.atomic
def import_run(*, actor, batch: ImportBatch, skip_invalid: bool) -> ImportBatch:
    """Import every row of a previewed file in one transaction, or nothing.

    Rows that had errors in the preview are left out only when the importer
    chose to skip them. A row that would now do something other than what the
    preview showed (a record changed or was deleted meanwhile) stops the whole
    import with `PreviewOutdated`; so does a record changed since the preview,
    since updates carry the revision the preview saw.
    """
    _ensure_waiting(actor, batch)
    if any(outcome["action"] == ERROR for outcome in batch.outcomes) and not skip_invalid:
        raise ApplicationError(
            _("Some rows have errors. Correct the file, or choose to skip those rows.")
        )
    # Claimed first, in this transaction: a second click or tab finds it taken.
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEWED).update(
        status=ImportBatch.Status.IMPORTED, imported_at=clock.now()
    )
    if not claimed:
        raise Conflict(_("This file has already been imported."))
    kind = RECORD_TYPES[batch.record_type]
    previewed = {outcome["line"]: outcome for outcome in batch.outcomes}
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    skipped = []
    for check in _checks(actor, batch):
        seen = previewed.get(check.line, {})
        if check.action == ERROR and seen.get("action") == ERROR:
            counts["skipped"] += 1
            skipped.append(check.stored())
            continue
        if check.action != seen.get("action") or _pk(check) != seen.get("pk"):
            raise PreviewOutdated(_outdated(check.line))
        if check.action == UNCHANGED:
            counts["unchanged"] += 1
            continue
        _write(kind, actor, check, seen.get("revision"))
        counts["created" if check.action == CREATE else "updated"] += 1
    ImportBatch.objects.filter(pk=batch.pk).update(
        rows=[],
        outcomes=skipped,
        created_count=counts["created"],
        updated_count=counts["updated"],
        unchanged_count=counts["unchanged"],
        skipped_count=counts["skipped"],
    )
    batch.refresh_from_db()
    return batch


def import_discard(*, actor, batch: ImportBatch) -> None:
    """Drop a preview that will not be imported."""
    _ensure_waiting(actor, batch)
    ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEWED).delete()


def _write(kind, actor, check: RowCheck, revision) -> None:
    try:
        if check.action == CREATE:
            kind.create(actor, check)
        else:
            kind.update(actor, check, revision)
    except Conflict as error:
        raise PreviewOutdated(_outdated(check.line)) from error
    except ApplicationError as error:
        raise ApplicationError(
            _("Row %(line)d: %(message)s Nothing was imported.")
            % {"line": check.line, "message": error.message}
        ) from error


def _checks(actor, batch: ImportBatch) -> list[RowCheck]:
    rows = [(row["line"], row["cells"]) for row in batch.rows]
    return check_rows(RECORD_TYPES[batch.record_type], actor, rows, batch.headers)


def _ensure_waiting(actor, batch: ImportBatch) -> None:
    if batch.created_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded a file imports it."))
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise Conflict(_("This file has already been imported."))
    if batch.created_at < clock.now() - PREVIEW_LIFETIME:
        raise ApplicationError(_("This preview is more than a day old: upload the file again."))
    kind = RECORD_TYPES[batch.record_type]
    if not may_import(actor) or not kind.may_import(actor):
        raise PermissionDenied(str(kind.import_refusal))


def _pk(check: RowCheck):
    return check.instance.pk if check.instance is not None else None


def _outdated(line: int) -> str:
    return _(
        "Row %(line)d: the records changed since the preview, so nothing was imported. "
        "The rows have been checked again: look at the preview once more."
    ) % {"line": line}
