"""The inbox rows put together in Python (engine/web/inbox_rows_html.py) are the old template's.

The rows' template as it was is kept in legacy_templates/engine/_inbox_rows.html;
put first among the template directories, it draws the rows again, and the
inbox page, its rows alone and the row sent back after a claim must come out
the same, character for character, in both languages (but for the CSRF
token's mask, which differs per request by design).
"""

from __future__ import annotations

import re
from pathlib import Path
from uuid import uuid4

import pytest
from django.conf import settings as django_settings
from django.template import engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from obieg.engine.models import WorkItem
from obieg.engine.web import inbox_rows
from tests.engine.web.test_inbox_rows import items  # noqa: F401 - a fixture: every kind of row

LEGACY = Path(__file__).parent / "legacy_templates"
LANGUAGES = ("pl", "en")
_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


def _old_rows(context: dict) -> str:
    template = (LEGACY / "engine" / "_inbox_rows.html").read_text()
    return engines["django"].from_string(template).render(context)


@pytest.fixture
def odd_items(org, items):  # noqa: F811
    """Values the escaping must treat alike (quotes, ampersands, angle brackets); a done one."""
    case = items[0].case
    for number, fields in enumerate(
        [
            {"candidate_group": 'x"y<z>&'},
            {"unmatched": "'Dział' <R&D>"},
            {"assignee": org.sara},
            {"candidate_group": "salesperson"},  # odd names in Sara's inbox too
            {"status": "completed"},  # done, and nobody's
        ]
    ):
        WorkItem.objects.create(
            case=case,
            task_id=uuid4(),
            element_id=f'odd"{number}<',
            name=f"Krok 'a' & \"b\" <{number}>",
            **fields,
        )
    return list(WorkItem.objects.filter(case=case).order_by("pk"))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("token", ["a<b>&c\"d'", ""])
def test_the_rows_are_the_old_templates_rows(org, odd_items, language, token):
    with translation.override(language):
        rows = inbox_rows.prepare(odd_items, org.sara)
        context = {"rows": rows, "csrf_token": token}
        new = render_to_string("engine/_inbox_rows.html", context)
        assert new == _old_rows(context)
    assert {row.holder for row in rows} == {"mine", "person", "queue", "unassigned", "nobody"}
    assert any(row.overdue for row in rows) and any(row.queued for row in rows)


def test_no_rows_draw_as_before(org):
    assert render_to_string("engine/_inbox_rows.html", {"rows": []}) == _old_rows({"rows": []})


def _without_tokens(answer) -> str:
    assert answer.status_code == 200
    return _TOKEN.sub(r'\1TOKEN"', answer.content.decode())


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_inbox_page_is_the_old_pages(client, org, odd_items, settings, language):
    client.force_login(org.sara)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    new = _without_tokens(client.get("/work/"))
    settings.TEMPLATES = [{**django_settings.TEMPLATES[0], "DIRS": [LEGACY]}]
    old = _without_tokens(client.get("/work/"))
    assert new == old
    assert f'lang="{language}"' in new and new.count("<tr id=") == 4


def test_a_claimed_row_is_the_old_row(client, org, items, settings):  # noqa: F811
    client.force_login(org.sara)
    queued = next(item for item in items if item.candidate_group == "salesperson")
    url = reverse("engine:task_claim", args=[queued.pk])
    new = _without_tokens(client.post(url, HTTP_HX_REQUEST="true"))
    WorkItem.objects.filter(pk=queued.pk).update(assignee=None, claimed_at=None)
    settings.TEMPLATES = [{**django_settings.TEMPLATES[0], "DIRS": [LEGACY]}]
    old = _without_tokens(client.post(url, HTTP_HX_REQUEST="true"))
    assert new == old
    assert f'<tr id="item-{queued.pk}"' in new
