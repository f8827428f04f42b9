"""Reads of documents and their versions, always through the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404

from obieg.core import compiled_once
from obieg.core.access import get_visible_or_404, inherits_access, visible
from obieg.core.pagination import Page, keyset_page
from obieg.crm.models import Account
from obieg.documents.models import Document, DocumentVersion

DOCUMENT_ORDERING = ["-updated_at", "-id"]
# Versions of one document are few; the cap only guards the page against abuse.
VERSION_LIMIT = 200


@dataclass(frozen=True)
class KindGroup:
    kind: str
    label: Any  # the kind's name, translated when printed (a lazy string)
    count: int
    newest: list[DocumentHead]


class DocumentHead(NamedTuple):
    """What the 360° page prints of a document (a link, its title, version and date)."""

    pk: int
    title: str
    current_version: int
    updated_at: datetime


def _newest_per_kind(documents: QuerySet, per_kind: int) -> QuerySet:
    """Per kind, its `per_kind` newest documents, each with its kind's count, kind by kind.

    Window functions rank and count within each kind, so the database returns
    at most `per_kind` rows per kind however many exist.
    """
    newest_first = [F("updated_at").desc(), F("id").desc()]
    return (
        documents.annotate(
            kind_rank=Window(RowNumber(), partition_by=[F("kind")], order_by=newest_first),
            kind_count=Window(Count("id"), partition_by=[F("kind")]),
        )
        .filter(kind_rank__lte=per_kind)
        .order_by("kind", "kind_rank")
        .values_list("kind", "kind_count", "pk", "title", "current_version", "updated_at")
    )


def documents_by_kind(user, account: Account, *, per_kind: int = 5) -> list[KindGroup]:
    """Per document kind of `account` (one `user` sees): how many there are and the newest few.

    One query. Whoever sees the account sees its documents
    (access.inherits_access), so the query is the same for every reader and
    compiled once per process.
    """
    statement = None
    if inherits_access(Document, "account"):
        statement = compiled_once.compiled(
            ("documents_by_kind", per_kind),
            {"account": compiled_once.Value(int, Document._meta.get_field("account"))},
            lambda given: _newest_per_kind(
                Document.objects.filter(account_id=given["account"]), per_kind
            ),
        )
    if statement is not None:
        rows = compiled_once.converted_rows(statement, {"account": account.pk})
    else:
        rows = list(
            _newest_per_kind(visible(Document.objects.filter(account=account), user), per_kind)
        )
    counts: dict[str, int] = {}
    grouped: dict[str, list[DocumentHead]] = {}
    for kind, count, *head in rows:
        counts[kind] = count
        grouped.setdefault(kind, []).append(DocumentHead(*head))
    labels = dict(Document.Kind.choices)
    return [
        KindGroup(kind=kind, label=labels[kind], count=counts[kind], newest=docs)
        for kind, docs in sorted(grouped.items(), key=lambda item: str(labels[item[0]]))
    ]


def document_page(
    user, *, kind: str = "", account: Account | None = None, cursor: str | None = None
) -> Page:
    """One keyset page of the documents `user` sees, recently changed first."""
    queryset = visible(Document.objects.select_related("account"), user)
    if kind:
        queryset = queryset.filter(kind=kind)
    if account is not None:
        queryset = queryset.filter(account=account)
    return keyset_page(queryset, ordering=DOCUMENT_ORDERING, cursor=cursor)


def record_documents(user, record, *, limit: int = 200) -> list[Document]:
    """The documents attached to `record` that `user` sees, recently changed first.

    Those who work on the record see them too (`AccessPaths.attached_to`), so a
    page lists exactly the documents its reader can open.
    """
    attached = Document.objects.filter(
        subject_type=ContentType.objects.get_for_model(record), subject_id=record.pk
    ).select_related("created_by")
    return list(visible(attached, user).order_by(*DOCUMENT_ORDERING)[:limit])


def document_get(user, pk) -> Document:
    return get_visible_or_404(Document.objects.select_related("account", "created_by"), user, pk=pk)


def document_versions(document: Document) -> QuerySet:
    return document.versions.select_related("created_by").order_by("-number")[:VERSION_LIMIT]


def document_version_get(user, document_pk, number) -> DocumentVersion:
    """One version of a document `user` sees, else Http404."""
    document = document_get(user, document_pk)
    return get_object_or_404(
        DocumentVersion.objects.select_related("document"), document=document, number=number
    )
