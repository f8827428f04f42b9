"""The 360° page's documents card and its edit and merge buttons, as read since #16.

The documents' query is compiled once per process and read as plain values
(documents.selectors.documents_by_kind); the tests compare it with the ORM
query it replaced, rows as Document objects. The page asks whether its reader
may change the account once where a merge is offered (merge.may_start asks
it first), and shows the same buttons to each reader as before.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from obieg.core.access import visible_under
from obieg.documents import selectors as document_selectors
from obieg.documents.models import Document
from tests.factories import AccountFactory, OpportunityFactory
from tests.statements import sql_of_each


def _old_documents_by_kind(user, account, per_kind=5):
    """documents_by_kind as it was: the ORM's windowed query, rows as Document objects."""
    newest_first = [F("updated_at").desc(), F("id").desc()]
    rows = (
        visible_under(Document.objects.filter(account=account), user, "account")
        .annotate(
            kind_rank=Window(RowNumber(), partition_by=[F("kind")], order_by=newest_first),
            kind_count=Window(Count("id"), partition_by=[F("kind")]),
        )
        .filter(kind_rank__lte=per_kind)
        .order_by("kind", "kind_rank")
    )
    grouped: dict[str, list[Document]] = {}
    for document in rows:
        grouped.setdefault(document.kind, []).append(document)
    labels = dict(Document.Kind.choices)
    return [
        (str(labels[kind]), kind, docs[0].kind_count, docs)
        for kind, docs in sorted(grouped.items(), key=lambda item: str(labels[item[0]]))
    ]


def _shown(groups):
    return [
        (
            str(group.label),
            group.kind,
            group.count,
            [(d.pk, d.title, d.current_version, d.updated_at) for d in group.newest],
        )
        for group in groups
    ]


def _old_shown(groups):
    return [
        (label, kind, count, [(d.pk, d.title, d.current_version, d.updated_at) for d in docs])
        for label, kind, count, docs in groups
    ]


@pytest.fixture
def documents_of_kinds(org):
    """Seven protocols (two changed at the same moment), three photos, one offer,
    and another customer's documents, which must not count."""
    account = AccountFactory(owner=org.sara)
    other = AccountFactory(owner=org.sara)
    now = timezone.now()
    same_moment = now - timedelta(days=2)
    made = []
    for number in range(7):
        made.append((account, Document.Kind.PROTOCOL, f"Protocol {number}", number))
    for number in range(3):
        made.append((account, Document.Kind.PHOTO, f"Photo {number}", number))
    made.append((account, Document.Kind.OFFER, "Offer", 0))
    made.append((other, Document.Kind.PROTOCOL, "Someone else's", 0))
    documents = Document.objects.bulk_create(
        Document(account=owner, kind=kind, title=title, current_version=age % 3 + 1)
        for owner, kind, title, age in made
    )
    for document, (_owner, _kind, title, age) in zip(documents, made, strict=True):
        # Two protocols share one moment: the id decides between them, as in the old query.
        updated = (
            same_moment if title in ("Protocol 2", "Protocol 3") else now - timedelta(hours=age)
        )
        Document.objects.filter(pk=document.pk).update(updated_at=updated)
    return account


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_documents_by_kind_are_those_the_orm_query_gave(org, documents_of_kinds, language):
    with translation.override(language):
        for user in (org.sara, org.manager, org.admin):
            new = _shown(document_selectors.documents_by_kind(user, documents_of_kinds))
            assert new == _old_shown(_old_documents_by_kind(user, documents_of_kinds))
    assert [(kind, count, len(newest)) for _label, kind, count, newest in new] in (
        [("offer", 1, 1), ("photo", 3, 3), ("protocol", 7, 5)],  # English labels
        [("offer", 1, 1), ("protocol", 7, 5), ("photo", 3, 3)],  # "oferta", "protokół", "zdjęcie"
    )


def test_an_account_without_documents_has_no_groups(org):
    assert document_selectors.documents_by_kind(org.sara, AccountFactory(owner=org.sara)) == []


def test_documents_that_had_a_scope_of_their_own_would_be_read_through_it(
    org, documents_of_kinds, monkeypatch
):
    """Should documents stop inheriting their account's access, the query is the policy's own."""
    monkeypatch.setattr(document_selectors, "inherits_access", lambda model, via: False)
    for user in (org.sara, org.admin):
        new = _shown(document_selectors.documents_by_kind(user, documents_of_kinds))
        assert new == _old_shown(_old_documents_by_kind(user, documents_of_kinds))
    assert document_selectors.documents_by_kind(org.olga, documents_of_kinds) == []


_MAY_CHANGE = re.compile(
    r'(PREPARE \w+ AS )?SELECT "crm_account"\."id"( AS "pk")? FROM "crm_account"'
)


def _page(client, user, account):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("account_detail", args=[account.pk])).content.decode()
    # access.can_change reads one key of the account in the policy's scope for change.
    may_change_asked = sum(
        1
        for sql in sql_of_each(queries)
        if re.match(
            r'(PREPARE \w+ AS )?SELECT "crm_account"\."id"( AS "pk")? FROM "crm_account"', sql
        )
    )
    return html, may_change_asked


def test_each_reader_sees_the_edit_and_merge_buttons_as_before(client, org):
    account = AccountFactory(owner=org.sara)
    OpportunityFactory(
        account=account, owner=org.sara, department=org.construction, escalated_to_board=True
    )
    edit = reverse("account_edit", args=[account.pk])
    merge = reverse("account_merge", args=[account.pk])
    expected = {
        "sara": (True, True),  # the owner
        "maria": (True, True),  # her team's sales manager
        "adam": (True, True),  # an administrator
        "henryk": (True, False),  # the department's head changes it, merges nothing
        "bogdan": (False, False),  # the board reads what is escalated to it
    }
    for user in (org.sara, org.manager, org.admin, org.head, org.board):
        html, asked = _page(client, user, account)
        assert (edit in html, merge in html) == expected[user.username], user.username
        # The permission is read once where a merge is offered, as before elsewhere.
        assert asked == (1 if expected[user.username][1] else 2), user.username
