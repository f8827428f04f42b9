"""The lists' filter bars and page queries, made cheaper without changing a byte of the page.

- The filter forms (the account list's, and the custom-field filters of the
  account, opportunity and lead lists) draw their inputs and selects through
  core/prepared_widgets.py. Each page is rendered again from the same context
  with the same forms drawn by Django's widget templates, and must be the
  same: empty, with values selected, and with values that fail (errors).
- Each list reads only the columns its rows print (web/list_rows.py's
  *_COLUMNS, core.pagination.only_columns): not the owner's password hash or
  the account's notes, and still no query per row, in every sort order.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.forms.renderers import DjangoTemplates
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from obieg.crm.models import Account, Lead, Opportunity
from obieg.customfields import services as custom_services
from obieg.customfields.filtering import list_filter
from obieg.sales.models import Offer
from obieg.web.forms.accounts import AccountFilterForm
from tests.factories import AccountFactory, LeadFactory, OpportunityFactory

pytestmark = pytest.mark.django_db

_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')
WIDGET_TEMPLATES = DjangoTemplates()


@pytest.fixture
def lists(org):
    """Custom columns of every kind on the three lists, and rows that show them."""

    def define(record_type, key, kind, **more):
        custom_services.field_create(
            actor=org.admin,
            data={
                "record_type": record_type,
                "key": key,
                "kind": kind,
                "label_pl": more.pop("label_pl", key),
                "label_en": more.pop("label_en", key),
                "in_list": True,
                **more,
            },
        )

    define(
        "account",
        "tier",
        "choice",
        label_pl="Segment <A&B>",
        label_en="Tier",
        choices=[
            {"value": "gold", "label_pl": "Złoty", "label_en": "Gold & more"},
            {"value": "silver", "label_pl": "Srebrny", "label_en": '"Silver"'},
        ],
    )
    define("account", "turnover", "number", label_pl="Obrót", label_en="Turnover")
    define("opportunity", "signed", "date", label_pl="Podpisano", label_en="Signed")
    define("lead", "roof", "text", label_pl="Dach", label_en="Roof")
    for number in range(3):
        account = AccountFactory(
            owner=org.sara, name=f"Firma {number}", voivodeship="slaskie", city="Gliwice"
        )
        Account.objects.filter(pk=account.pk).update(custom={"tier": "gold", "turnover": "12.5"})
        opportunity = OpportunityFactory(account=account, owner=org.sara)
        Opportunity.objects.filter(pk=opportunity.pk).update(custom={"signed": "2026-03-01"})
        lead = LeadFactory(owner=org.sara, company_name=f"Lead {number}")
        Lead.objects.filter(pk=lead.pk).update(custom={"roof": "flat"})
        Offer.objects.create(
            number=f"OF/{number}", account=account, opportunity=opportunity, title="PV"
        )
    return org


def _client(user, language: str) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _same(new_html: str, old_html: str) -> None:
    assert _TOKEN.sub(r"\1…", new_html) == _TOKEN.sub(r"\1…", old_html)


ACCOUNT_QUERIES = [
    "",
    "?kind=person&voivodeship=slaskie&mine=on&custom.tier=silver"
    "&custom.turnover.min=1&custom.turnover.max=99.5&sort=city",
    # Every input wrong: the fields show their errors (is-invalid, aria-describedby).
    '?kind=bogus&voivodeship=<x>&custom.tier="nope"&custom.turnover.min=abc&sort=nope',
]


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("query", ACCOUNT_QUERIES, ids=["empty", "selected", "errors"])
def test_the_account_filter_bar_prints_what_the_widget_templates_print(lists, query, language):
    for user in (lists.sara, lists.admin):
        response = _client(user, language).get(reverse("account_list") + query)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="custom.tier"' in html and 'name="custom.turnover.min"' in html
        assert ("is-invalid" in html) == ("bogus" in query)

        context = response.context[0].flatten()
        drawn_by_templates = AccountFilterForm(response.wsgi_request.GET, renderer=WIDGET_TEMPLATES)
        assert drawn_by_templates.custom_filter.renderer is WIDGET_TEMPLATES
        context.update(form=drawn_by_templates, custom_filter=drawn_by_templates.custom_filter)
        old = render_to_string("web/accounts/list.html", context, response.wsgi_request)
        _same(html, old)


@pytest.mark.parametrize(
    ("url_name", "queries"),
    [
        ("opportunity_list", ["", "?custom.signed.min=2026-01-01", "?custom.signed.max=31.02"]),
        ("lead_list", ["", "?custom.roof=fl%C3%A4t+%3Cb%3E", "?custom.roof=" + "x" * 300]),
    ],
)
def test_the_custom_filters_print_what_the_widget_templates_print(lists, url_name, queries):
    record_type = {"opportunity_list": "opportunity", "lead_list": "lead"}[url_name]
    for language in ("pl", "en"):
        client = _client(lists.sara, language)
        for query in queries:
            response = client.get(reverse(url_name) + query)
            assert response.status_code == 200
            context = response.context[0].flatten()
            drawn_by_templates = list_filter(record_type, response.wsgi_request.GET)
            drawn_by_templates.renderer = WIDGET_TEMPLATES
            context["custom_filter"] = drawn_by_templates
            template = response.templates[0].name
            old = render_to_string(template, context, response.wsgi_request)
            _same(response.content.decode(), old)


def test_the_filter_bars_are_drawn_without_the_widget_templates(lists, monkeypatch):
    drawn = []
    through_templates = DjangoTemplates.render

    def recording(self, template_name, context, request=None):
        drawn.append(template_name)
        return through_templates(self, template_name, context, request)

    monkeypatch.setattr(DjangoTemplates, "render", recording)
    client = _client(lists.sara, "pl")
    for url_name in ("account_list", "opportunity_list", "lead_list"):
        response = client.get(reverse(url_name) + "?custom.turnover.min=x")
        assert response.status_code == 200
    assert [name for name in drawn if name.startswith("django/forms/widgets/")] == []


# The columns of a full record the lists do not print: with them, 25 rows
# cost a compiled, sent and converted copy of every column of three tables.
NOT_PRINTED = {
    "account_list": ['"crm_account"."notes"', '"core_user"."password"'],
    "opportunity_list": ['"crm_account"."notes"', '"core_user"."password"', "core_department"],
    "lead_list": ['"crm_lead"."notes"', '"core_user"."password"', '"crm_account"'],
    "offer_list": ['"sales_offer"."notes"', '"core_user"."password"', '"crm_opportunity"."name"'],
}
SORTS = {
    "account_list": ["name", "newest", "city"],
    "opportunity_list": ["newest", "close", "value", "name"],
    "lead_list": ["newest", "oldest", "company"],
    "offer_list": ["newest", "number", "value"],
}


@pytest.mark.parametrize("url_name", list(NOT_PRINTED))
def test_a_list_reads_only_the_columns_it_prints_and_no_query_per_row(lists, url_name):
    client = _client(lists.sara, "en")
    for sort in SORTS[url_name]:
        for query in (f"?sort={sort}", f"?sort={sort}&q=a"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse(url_name) + query)
            assert response.status_code == 200
            rows = response.context["page"].rows
            assert rows or "q=" in query, (url_name, query)
            page_query = next(q["sql"] for q in queries.captured_queries if "LIMIT 26" in q["sql"])
            for column in NOT_PRINTED[url_name]:
                assert column not in page_query, (url_name, query, column)
            # Nothing left out is read row by row afterwards.
            later = queries.captured_queries[
                [q["sql"] for q in queries.captured_queries].index(page_query) + 1 :
            ]
            assert not [q for q in later if "LIMIT 21" in q["sql"]], later
            assert len(queries) <= 9, [q["sql"][:80] for q in queries.captured_queries]


def test_a_list_with_more_rows_asks_the_same_queries(lists):
    client = _client(lists.sara, "en")
    counts = {}
    for url_name in NOT_PRINTED:
        for sort in SORTS[url_name]:
            with CaptureQueriesContext(connection) as queries:
                client.get(reverse(url_name) + f"?sort={sort}")
            counts[(url_name, sort)] = len(queries)
    for number in range(3, 12):
        account = AccountFactory(owner=lists.sara, name=f"Firma {number}")
        opportunity = OpportunityFactory(account=account, owner=lists.sara)
        LeadFactory(owner=lists.sara, company_name=f"Lead {number}")
        Offer.objects.create(
            number=f"OF/{number}", account=account, opportunity=opportunity, title="PV"
        )
    for (url_name, sort), count in counts.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(url_name) + f"?sort={sort}")
        assert len(response.context["page"].rows) >= 12
        assert len(queries) == count, (url_name, sort)


def test_the_owner_filter_names_people_as_users_name_themselves(lists):
    from obieg.core.models import User
    from obieg.crm.selectors import pipeline
    from obieg.web.list_rows import people

    User.objects.filter(pk=lists.tomasz.pk).update(first_name="", last_name="")
    User.objects.filter(pk=lists.sara.pk).update(first_name="Sara <&>", last_name="")
    for reader in (lists.admin, lists.manager, lists.sara):
        users = pipeline.owners_to_filter(reader)
        expected = [(user.pk, str(user)) for user in users]
        assert [(person.pk, str(person)) for person in people(users)] == expected
        assert expected or reader == lists.sara
