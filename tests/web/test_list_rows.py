"""The lists and the pipeline board print rows prepared in Python (web/list_rows.py).

Each page is compared, for a salesperson and an administrator in Polish and
English on the demo data, with what the per-row templates it replaced drew
(kept in tests/web/legacy_templates/legacy_rows/, rendered from the same
records): same text, links, classes, ids, data attributes and custom fields.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from obieg.crm.models import Account, Lead, Opportunity
from obieg.crm.selectors import board, pipeline
from obieg.customfields import services as custom_services
from obieg.customfields.models import CustomField
from obieg.demo.organisation import ensure_organisation
from obieg.demo.small import create_small_demo
from tests.factories import AccountFactory, LeadFactory, OpportunityFactory

pytestmark = pytest.mark.django_db

LEGACY = Path(__file__).parent / "legacy_templates"
READERS = ("salesperson", "admin")
LANGUAGES = ("pl", "en")
# What differs between two renderings of one page by design: the CSRF token's mask.
_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


@pytest.fixture
def demo(settings):
    """The small demo, custom-field columns of every kind, and rows at the edges of each cell."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TEMPLATES = [{**django_settings.TEMPLATES[0], "DIRS": [LEGACY]}]
    org = ensure_organisation()
    create_small_demo(org)
    admin, seller = org.user("admin"), org.user("salesperson")
    CustomField.objects.filter(key="installation_date").update(in_list=True)
    custom_services.field_create(
        actor=admin,
        data={
            "record_type": "lead",
            "key": "roof_area",
            "label_pl": "Powierzchnia dachu",
            "label_en": "Roof area",
            "kind": CustomField.Kind.NUMBER,
            "in_list": True,
        },
    )
    person = AccountFactory(
        name="Aaa <Kowalski> & syn", kind=Account.Kind.PERSON, nip="", owner=seller
    )
    Account.objects.filter(pk=person.pk).update(custom={"industry": "household"})
    AccountFactory(name="Aab bez opiekuna", voivodeship="malopolskie", owner=None)
    for stage, closing in (("won", None), ("lost", date(2026, 3, 1)), ("proposal", None)):
        opportunity = OpportunityFactory(
            account=person,
            name=f'Aaa {stage} "quoted"',
            stage=stage,
            owner=seller,
            expected_close=closing,
            value=Decimal("1234567.8"),
        )
        Opportunity.objects.filter(pk=opportunity.pk).update(
            custom={"installation_date": "2026-05-04"}
        )
    Opportunity.objects.filter(name='Aaa won "quoted"').update(owner=None)
    # More proposals than a column draws first, so it has a "more" button and next cards.
    for day in range(1, 10):
        OpportunityFactory(
            account=person, stage="proposal", owner=seller, expected_close=date(2026, 6, day)
        )
    for company, contact, email, phone in (
        ("Aaa Firma", "", "", ""),
        ("", "Aaa Osoba", "a@example.com", "+48 600 000 000"),
        ("Aaa Spółka", "Jan", "j@example.com", ""),
    ):
        lead = LeadFactory(
            company_name=company, contact_name=contact, email=email, phone=phone, owner=seller
        )
        Lead.objects.filter(pk=lead.pk).update(custom={"roof_area": "1234.5"})
    return org


def _client(org, username: str, language: str) -> Client:
    client = Client()
    client.force_login(org.user(username))
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _page_context(response) -> dict:
    context = response.context
    return (context[0] if isinstance(context, list) else context).flatten()


def _same(new_html: str, old_html: str) -> None:
    new, old = _TOKEN.sub(r"\1…", new_html), _TOKEN.sub(r"\1…", old_html)
    assert new == old


@pytest.mark.parametrize(
    ("url_name", "legacy", "marker"),
    [
        ("account_list", "accounts_list.html", 'data-custom-field="industry"'),
        ("opportunity_list", "opportunities_list.html", 'data-custom-field="installation_date"'),
        ("lead_list", "leads_list.html", 'data-custom-field="roof_area"'),
    ],
)
def test_a_list_prints_the_rows_the_per_row_template_printed(demo, url_name, legacy, marker):
    for username in READERS:
        for language in LANGUAGES:
            client = _client(demo, username, language)
            for query in ("", "?q=Aaa", "?sort=" + "-name"):
                response = client.get(reverse(url_name) + query)
                assert response.status_code == 200
                html = response.content.decode()
                assert html.count("<tr>") > 1 and marker in html, (username, query)
                old = render_to_string(
                    f"legacy_rows/{legacy}", _page_context(response), response.wsgi_request
                )
                _same(html, old)


def test_the_board_prints_the_cards_the_per_card_include_printed(demo):
    for username in READERS:
        for language in LANGUAGES:
            client = _client(demo, username, language)
            user = demo.user(username)
            fetched = 0
            for scope in ("all", "mine"):
                response = client.get(reverse("opportunity_pipeline") + f"?scope={scope}")
                html = response.content.decode()
                # The admin owns no opportunity: their own board is empty.
                assert html.count("<article") > 6 or (username, scope) == ("admin", "mine")
                context = _page_context(response)
                old = render_to_string("legacy_rows/pipeline.html", context, response.wsgi_request)
                _same(html, old)

                # The next cards of each column that has more, as its button fetches them.
                for column in context["columns"]:
                    cursor = board.more_cursor(column)
                    if not cursor:
                        continue
                    url = reverse("opportunity_pipeline_cards", args=[column.stage])
                    page = board.column_cards(user, stage=column.stage, scope=scope, cursor=cursor)
                    more = client.get(url, {"scope": scope, "after": cursor})
                    old = render_to_string(
                        "legacy_rows/column_cards.html", {"page": page}, more.wsgi_request
                    )
                    _same(more.content.decode(), old)
                    fetched += 1
            assert fetched, username


def test_a_moved_card_is_drawn_as_the_board_draws_it(demo):
    client = _client(demo, "admin", "pl")
    opportunity = Opportunity.objects.get(name='Aaa proposal "quoted"')

    response = client.post(
        reverse("opportunity_move", args=[opportunity.pk]),
        {"stage": "negotiation"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    card = pipeline.pipeline_card(demo.user("admin"), opportunity.pk)
    old = render_to_string("legacy_rows/card.html", {"card": card}, response.wsgi_request)
    _same(response.content.decode(), old)
    assert 'data-stage="negotiation"' in old and "1\xa0234\xa0567,80\xa0zł" in old
