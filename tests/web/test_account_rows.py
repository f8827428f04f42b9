"""The 360° page prints rows prepared in Python (web/account_rows.py).

Its timeline, documents and lists (contact persons, opportunities, offers,
contracts, leads) are compared, for readers who may and may not change the
customer, in Polish and English, with what the per-row templates they
replaced drew (kept in tests/web/legacy_templates/legacy_account/, rendered
from the same records): the whole page, each list's next rows, the
timeline's next page and an activity marked done. The records sit at the
edges: empty lists, missing dates, owners and contacts, nothing to escape
and markup to escape, long texts that are cut.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from obieg.crm.models import Activity, ContactPerson, Lead, Opportunity
from obieg.crm.selectors.account_sections import FIRST_ROWS
from obieg.customfields import services as custom_services
from obieg.customfields.models import CustomField
from obieg.documents.models import Document
from obieg.sales.models import Contract, Offer
from tests.factories import AccountFactory
from tests.web.test_account_sections import fill, more_url

pytestmark = pytest.mark.django_db

LEGACY = Path(__file__).parent / "legacy_templates"
LANGUAGES = ("pl", "en")
# What differs between two renderings of one page by design: the CSRF token's mask.
_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')
ESCAPED = 'Tom & "Jerry" <b>'
LONG = " ".join(f"słowo{n}" for n in range(80))
# Each list, and its rows' template.
LISTS = {
    "contacts": "_contact_rows.html",
    "opportunities": "_opportunity_rows.html",
    "offers": "_offer_rows.html",
    "contracts": "_contract_rows.html",
    "leads": "_lead_rows.html",
}
ALL_SEVEN = {
    "pl": "Wszystkie dokumenty (7)",
    "en": "All 7 documents",
}  # the link to a kind's other documents


@pytest.fixture
def legacy(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TEMPLATES = [{**django_settings.TEMPLATES[0], "DIRS": [LEGACY]}]


@pytest.fixture
def customer(org, legacy):
    """Sara's customer with every list longer than a screen and rows at the edges."""
    account = AccountFactory(name=f"Dom {ESCAPED}", owner=org.sara)
    custom_services.field_create(
        actor=org.admin,
        data={
            "record_type": "contact",
            "key": "hobby",
            "label_pl": "Hobby",
            "label_en": "Hobby",
            "kind": CustomField.Kind.TEXT,
            "in_list": True,
        },
    )
    ContactPerson.objects.create(
        account=account,
        first_name="Anna",
        last_name=ESCAPED,
        is_primary=True,
        position="Prezes & właściciel",
        email="anna@example.com",
        phone="+48 600 000 000",
        custom={"hobby": "<i>żagle</i>"},
    )
    ContactPerson.objects.create(account=account, first_name="Bez", last_name="Danych")
    fill(account, FIRST_ROWS + 2, org.sara)
    # The newest of each list, so they are among the first rows.
    later = datetime(2030, 1, 1, tzinfo=UTC)
    Opportunity.objects.create(
        account=account, name=f"Won {ESCAPED}", stage="won", owner=None, created_at=later
    )
    Opportunity.objects.create(
        account=account,
        name="Lost",
        stage="lost",
        owner=org.sara,
        expected_close=date(2026, 3, 1),
        value=Decimal("1234567.8"),
        created_at=later,
    )
    for status, revision in (("accepted", 1), ("rejected", 2), ("superseded", 3), ("sent", 4)):
        Offer.objects.create(
            account=account,
            number=f"OF/{status}",
            revision_number=revision,
            title=f"{status} {ESCAPED}",
            status=status,
            total_gross=Decimal("99.99"),
            total_net=Decimal("80"),
            total_cost=Decimal("50") if status == "sent" else Decimal("0"),
            created_at=later,
        )
    for status, signed in (("signed", None), ("terminated", date(2026, 2, 2)), ("draft", None)):
        Contract.objects.create(
            account=account,
            number=f"UM/{status}",
            title=ESCAPED,
            status=status,
            signed_on=signed,
            value_gross=Decimal("10"),
            created_at=later,
        )
    Lead.objects.create(
        account=account,
        company_name=ESCAPED,
        description=f"Linia 1\nLinia <2>\n{LONG * 2}",
        owner=org.sara,
        created_at=later,
    )
    Lead.objects.create(account=account, contact_name="Jan", owner=org.sara, created_at=later)
    now = datetime(2026, 5, 4, 10, 30, tzinfo=UTC)
    contact = ContactPerson.objects.filter(account=account, is_primary=True).get()
    for n, (kind, status, outcome, minutes, body) in enumerate(
        (
            ("meeting", "planned", "", 90, f"Agenda:\n{ESCAPED}\n{LONG}"),
            ("call", "done", "positive", None, ""),
            ("email", "cancelled", "", 0, "krótko"),
            ("note", "done", "no_answer", 1500, ""),
        )
        * 3
    ):
        Activity.objects.create(
            account=account,
            kind=kind,
            status=status,
            outcome=outcome,
            duration_minutes=minutes,
            body=body,
            subject=f"{kind} {n} {ESCAPED}",
            occurs_at=now - timedelta(days=n),
            owner=org.sara if n % 2 else None,
            contact=contact if n % 3 == 0 else None,
        )
    kinds = Document.Kind.values
    Document.objects.bulk_create(
        Document(account=account, title=f"Doc {n} {ESCAPED}", kind=kinds[0], current_version=n)
        for n in range(7)
    )
    Document.objects.create(account=account, title="Jedyny", kind=kinds[1])
    return account


def _client(user, language: str) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _context(response) -> dict:
    context = response.context
    return (context[0] if isinstance(context, list) else context).flatten()


def _same(new_html: str, old_html: str) -> None:
    new, old = _TOKEN.sub(r"\1…", new_html), _TOKEN.sub(r"\1…", old_html)
    assert new == old


def _same_as_legacy(response, legacy: str, context: dict | None = None) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    context = _context(response) if context is None else context
    _same(html, render_to_string(f"legacy_account/{legacy}", context, response.wsgi_request))
    return html


def test_the_page_prints_what_the_per_row_templates_printed(customer, org):
    for user in (org.sara, org.accountant, org.admin):
        for language in LANGUAGES:
            client = _client(user, language)
            response = client.get(reverse("account_detail", args=[customer.pk]))

            html = _same_as_legacy(response, "detail.html")

            # The edges are on the page, not left out of both renderings alike.
            assert "Tom &amp; &quot;Jerry&quot; &lt;b&gt;" in html
            assert 'data-custom-field="hobby"' in html and "&lt;i&gt;żagle" in html
            assert more_url(html, "contacts") and ALL_SEVEN[language] in html
            if user == org.accountant:  # reads the customer, not its salespeople's work
                assert 'class="timeline-item' not in html and "contact_edit" not in html
                continue
            assert html.count('class="timeline-item') == 10 and 'name="revision"' in html
            assert "offer-superseded" in html and "lead-description" in html
            assert "—" in html and "1\xa0234\xa0567,80\xa0zł" in html
            for kind in LISTS:
                assert more_url(html, kind), (kind, user)


def test_the_next_rows_of_each_list_and_of_the_timeline_are_printed_alike(customer, org):
    for user in (org.sara, org.admin):
        for language in LANGUAGES:
            client = _client(user, language)
            page = client.get(reverse("account_detail", args=[customer.pk])).content.decode()
            for kind, legacy in LISTS.items():
                response = client.get(more_url(page, kind), HTTP_HX_REQUEST="true")
                html = _same_as_legacy(response, legacy)
                assert "<tr" in html or "<li" in html, kind

            older = re.search(r'hx-get="([^"]*/activities/\?cursor=[^"]*)"', page)
            response = client.get(older.group(1).replace("&amp;", "&"), HTTP_HX_REQUEST="true")
            html = _same_as_legacy(response, "_timeline_page.html")
            assert html.count('class="timeline-item') == 2


def test_an_activity_marked_done_is_printed_as_the_timeline_printed_it(customer, org):
    activity = Activity.objects.filter(account=customer, status="planned").first()
    client = _client(org.sara, "pl")

    response = client.post(
        reverse("activity_mark_done", args=[activity.pk]),
        {"revision": activity.revision},
        HTTP_HX_REQUEST="true",
    )

    html = _same_as_legacy(response, "_timeline_item.html")
    assert "timeline-done" in html and "text-bg-success" in html


def test_an_account_with_nothing_yet_prints_its_empty_lists_alike(org, legacy):
    empty = AccountFactory(name="Pusty", owner=org.sara)
    for user in (org.sara, org.admin):
        for language in LANGUAGES:
            response = _client(user, language).get(reverse("account_detail", args=[empty.pk]))

            html = _same_as_legacy(response, "detail.html")

            assert 'class="timeline-item' not in html and "<tr>" not in html
