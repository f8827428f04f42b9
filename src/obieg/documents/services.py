"""Documents: upload a file as a new document or as the next version of one."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import File
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from obieg.core import access, audit, records
from obieg.core.errors import ApplicationError
from obieg.crm.models import Account
from obieg.documents import validators
from obieg.documents.models import Document, DocumentVersion


def _checksum(file: File) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _refuse_file(message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={"file": [message]})


def _file_kind(file: File, accept: validators.FileTypeValidator) -> validators.FileKind:
    """What the file is by its content; refused unless it is a kind the caller accepts."""
    if file.size is None or file.size == 0:
        raise _refuse_file(_("The file is empty."))
    if file.size > settings.MAX_DOCUMENT_SIZE:
        raise _refuse_file(validators.too_large_message())
    kind = accept.detect(file)
    if kind is None:
        raise _refuse_file(str(accept.message))
    return kind


def _add_version(
    document: Document, *, actor, file: File, file_kind: validators.FileKind, comment: str
) -> DocumentVersion:
    Document.objects.filter(pk=document.pk).update(current_version=F("current_version") + 1)
    document.refresh_from_db(fields=["current_version"])
    # The content decides the type and the extension: never the browser's word or the name's.
    name = file_kind.file_name(file.name.rsplit("/", 1)[-1] if file.name else "file")
    content_type = file_kind.mime_type
    version = DocumentVersion(
        document=document,
        number=document.current_version,
        original_name=name[:255],
        checksum=_checksum(file),
        size=file.size,
        content_type=content_type[:100],
        comment=comment,
        created_by=actor,
    )
    version.file.save(name, file, save=False)
    version.save()
    audit.record(
        document,
        actor=actor,
        action="update",
        changes={"version": [None, f"v{version.number} {name}"]},
    )
    return version


@transaction.atomic
def document_upload(
    *,
    actor,
    title: str,
    kind: str,
    file: File,
    account: Account | None = None,
    subject: models.Model | None = None,
    comment: str = "",
    accept: validators.FileTypeValidator = validators.DOCUMENT,
) -> Document:
    """Store a file as a new document (version 1) of an account and/or a record.

    `accept` is what the file may be (by its content); any document by default.
    """
    if kind not in Document.Kind.values:
        raise ApplicationError(
            _("Unknown document kind."), field_errors={"kind": [_("Unknown document kind.")]}
        )
    subject_account = getattr(subject, "account", None) if subject is not None else None
    if account is None:
        account = subject_account
    elif subject_account is not None and subject_account.pk != account.pk:
        message = _("The record belongs to another account.")
        raise ApplicationError(message, field_errors={"account": [message]})
    if account is None:
        # Access to a document follows its customer; one without any would be
        # visible to administrators only, its own uploader included.
        message = _("A document belongs to a customer account.")
        raise ApplicationError(message, field_errors={"account": [message]})
    if subject is None or subject_account is None:
        access.ensure_can_change(actor, account)
    if subject is not None:
        # Whoever works on the record attaches to it (an installer's photos of a project),
        # credited to them; the account is then the record's own, checked above.
        access.ensure_can_attach(actor, subject)
    file_kind = _file_kind(file, accept)  # before the row: a refused file leaves nothing
    document = Document(
        title=title or (file.name or "").rsplit("/", 1)[-1][:200],
        kind=kind,
        account=account,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=subject.pk if subject is not None else None,
        created_by=actor,
    )
    records.full_clean(document)  # e.g. a title over 200 characters: a field error, not a 500
    document.save()
    audit.record_create(document, actor=actor)
    _add_version(document, actor=actor, file=file, file_kind=file_kind, comment=comment)
    return document


@transaction.atomic
def document_add_version(
    *,
    actor,
    document: Document,
    file: File,
    comment: str = "",
    accept: validators.FileTypeValidator = validators.DOCUMENT,
) -> DocumentVersion:
    """Add the next version of a document; earlier versions stay readable."""
    access.ensure_can_attach(actor, document)
    file_kind = _file_kind(file, accept)
    document = Document.objects.select_for_update().get(pk=document.pk)
    return _add_version(document, actor=actor, file=file, file_kind=file_kind, comment=comment)
