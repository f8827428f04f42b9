"""Inbox rows print values worked out once per page, and say what the shared partials say.

The rows no longer include engine/_due.html and engine/_holder.html (an
include per cell per row was most of the page's time), so these tests hold
the inbox to what those partials show on the other pages, cell for cell.
"""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import uuid4

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from obieg.core import clock, prepared_rows
from obieg.engine import labels
from obieg.engine.models import WorkItem
from obieg.engine.runtime import services as engine
from obieg.engine.web import inbox_rows
from tests.engine.conftest import deploy_samples


def _squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def _cells(html: str, pk: int) -> list[str]:
    row = re.search(rf'<tr id="item-{pk}".*?</tr>', html, re.S)
    assert row, f"no row for item {pk}"
    return [_squeeze(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)]


@pytest.fixture
def items(org):
    """One item of each kind a row shows: mine, someone else's, a role's queue, a
    department's queue, nobody's; overdue, due later and undated; open and done."""
    deploy_samples("approval.bpmn")
    case = engine.start_case(process="offer_approval", actor=org.sara, title="Dach <Kowalskich>")
    WorkItem.objects.filter(case=case).delete()
    now = clock.now()
    kinds = [
        {"assignee": org.sara, "due_at": now - timedelta(hours=3)},
        {"assignee": org.tomasz, "due_at": now + timedelta(days=2)},
        {"candidate_group": "salesperson"},
        {"candidate_department": org.construction, "due_at": now - timedelta(days=1)},
        {"unmatched": "Dział R&D"},
        {},
        {"assignee": org.sara, "status": "completed", "due_at": now - timedelta(days=5)},
    ]
    return [
        WorkItem.objects.create(
            case=case, task_id=uuid4(), element_id=f"e{n}", name=f"Krok {n}", **fields
        )
        for n, fields in enumerate(kinds)
    ]


@pytest.mark.parametrize("language", ["pl", "en"])
def test_each_row_says_what_the_shared_partials_say(org, items, language):
    request = RequestFactory().get("/work/")
    request.user = org.sara
    with translation.override(language):
        rows = inbox_rows.prepare(WorkItem.objects.filter(pk__in=[i.pk for i in items]), org.sara)
        html = render_to_string("engine/_inbox_rows.html", {"rows": rows}, request=request)
        for item in WorkItem.objects.filter(pk__in=[i.pk for i in items]):
            context = {"item": item, "user": org.sara}
            task, case, due, holder, action = _cells(html, item.pk)

            assert due == _squeeze(render_to_string("engine/_due.html", context))
            assert holder == _squeeze(render_to_string("engine/_holder.html", context))
            task_url = reverse("engine:task", args=[item.pk])
            assert task.startswith(f'<a class="fw-semibold" href="{task_url}">{item.name}</a>')
            assert "Dach &lt;Kowalskich&gt;" in task  # the case, escaped
            assert f'href="{reverse("engine:case_detail", args=[item.case_id])}"' in case
            assert item.case.definition.name in case
            overdue_row = re.search(rf'<tr id="item-{item.pk}"[^>]*class="table-danger"', html)
            assert bool(overdue_row) == item.is_overdue
            claim_url = reverse("engine:task_claim", args=[item.pk])
            if item.is_queued:
                assert f'action="{claim_url}"' in action and 'name="csrfmiddlewaretoken"' in action
            elif item.is_open:
                assert f'href="{task_url}"' in action and "form" not in action
            else:
                assert action == ""


def test_the_kinds_of_holder_are_all_there(org, items):
    rows = inbox_rows.prepare(items, org.sara)
    assert [row.holder for row in rows] == [
        inbox_rows.MINE,
        inbox_rows.PERSON,
        inbox_rows.QUEUE,
        inbox_rows.QUEUE,
        inbox_rows.UNASSIGNED,
        inbox_rows.UNASSIGNED,
        inbox_rows.MINE,
    ]
    assert [row.overdue for row in rows] == [True, False, False, True, False, False, False]


@pytest.mark.parametrize(
    "name", ["engine:task", "engine:task_claim", "engine:task_release", "engine:case_detail"]
)
def test_a_url_for_each_id_is_the_reversed_url(name):
    url_for = prepared_rows.url_for_each(name)
    for pk in (1, 42, 2**63 - 1):
        assert url_for(pk) == reverse(name, args=[pk])


def test_a_url_without_an_id_is_refused():
    with pytest.raises(NoReverseMatch):
        prepared_rows.url_for_each("engine:inbox")


@pytest.mark.parametrize("language", ["pl", "en"])
def test_rows_of_several_processes_each_name_their_own(org, language):
    """The process's name is worked out once per process on a page, not once for all rows."""
    deploy_samples("approval.bpmn", "boundary.bpmn")
    cases = [
        engine.start_case(process=process, actor=org.sara, title=title)
        for process, title in (
            ("offer_approval", ""),
            ("offer_follow_up", "Oferta Nowaków"),
            ("offer_approval", "Dach Kowalskich"),
        )
    ]
    WorkItem.objects.filter(case__in=cases).delete()
    for number, case in enumerate([*cases, cases[1]]):
        WorkItem.objects.create(
            case=case, task_id=uuid4(), element_id=f"s{number}", name="Krok", assignee=org.sara
        )
    items = list(WorkItem.objects.filter(case__in=cases).select_related("case__definition"))
    with translation.override(language):
        rows = inbox_rows.prepare(items, org.sara)
        expected = [
            (labels.process_label(item.case.definition), labels.case_label(item.case))
            for item in items
        ]
    assert [(row.process, row.case) for row in rows] == expected
    assert {row.process for row in rows} == {"Offer approval", "Offer follow-up"}
