"""The home's lists print rows prepared in Python (home_panels/rows.py, engine/web/inbox_rows.py).

Each role's home is compared, in Polish and English, with what the per-row
templates it replaced drew (kept in tests/web/legacy_templates/legacy_home/)
from the records read as before, whole models with their account, contact
and case: same text, links, classes and ids, for rows at the edges (left
over from earlier days, without a contact, names to escape, more rows than a
list shows, tasks overdue, undated and queued).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from obieg.core import access, clock, roles
from obieg.crm.models import Activity
from obieg.crm.selectors import pipeline
from obieg.engine import selectors
from obieg.web.home_panels import my_day, my_work
from tests.factories import AccountFactory, ContactFactory, LeadFactory
from tests.web.home_fixtures import activity, at, task

LEGACY = Path(__file__).parent / "legacy_templates"
# What differs between two renderings of one page by design: the CSRF token's mask.
_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


# The reads the home made before its rows were prepared: whole models, printed per row.


def _legacy_planned(user):
    return (
        access.visible(Activity.objects.all(), user)
        .filter(owner=user, status=Activity.Status.PLANNED)
        .select_related("account", "contact")
        .order_by("occurs_at", "id")
    )


def _legacy_day(user) -> dict:
    now = clock.now()
    today_start = my_day._midnight(now)
    rows = list(_legacy_planned(user).filter(occurs_at__lt=today_start + timedelta(days=1))[:13])
    return {
        "activities": rows[:12],
        "more": len(rows) > 12,
        "overdue": sum(1 for row in rows[:12] if row.occurs_at < today_start),
        "today_start": today_start,
        "now": now,
    }


def _legacy_meetings(user) -> dict:
    now = clock.now()
    monday = my_day._midnight(now) - timedelta(days=timezone.localtime(now).weekday())
    rows = list(
        _legacy_planned(user).filter(
            kind=Activity.Kind.MEETING, occurs_at__gte=monday, occurs_at__lt=monday + timedelta(7)
        )[:13]
    )
    return {"meetings": rows[:12], "more": len(rows) > 12, "monday": monday, "now": now}


def _legacy_work(user, new: dict) -> dict:
    return {**new, "items": selectors.inbox(user, limit=my_work.ROWS)}


def _legacy_activities(user):
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return list(
        _legacy_planned(user).filter(occurs_at__gte=start, occurs_at__lt=start + timedelta(7))[:20]
    )


_LEGACY_PANELS = {
    "web.my_day": ("legacy_home/my_day.html", lambda user, new: _legacy_day(user)),
    "web.my_meetings": ("legacy_home/my_meetings.html", lambda user, new: _legacy_meetings(user)),
    "web.my_work": ("legacy_home/my_work.html", _legacy_work),
}


@pytest.fixture
def home_records(org, settings):
    """Rows at the edges of each of the home's lists, for Sara (and her manager's team)."""
    settings.TEMPLATES = [{**django_settings.TEMPLATES[0], "DIRS": [LEGACY]}]
    odd = AccountFactory(owner=org.sara, name='Aaa <Kowalski> & "syn"')
    contact = ContactFactory(account=odd, first_name="Ewa", last_name="O'Brien <E>")
    for days, hour, kind in (
        (-3, 9, Activity.Kind.CALL),
        (-1, 17, Activity.Kind.EMAIL),
        (0, 0, Activity.Kind.MEETING),
        (0, 23, Activity.Kind.NOTE),
    ):
        activity(org.sara, occurs_at=at(days, hour), kind=kind, account=odd, contact=contact)
    for number in range(14):  # more than My day shows; some of them days ahead
        activity(
            org.sara,
            occurs_at=at(-(number % 2) if number < 10 else number % 4, 8 + number % 9),
            kind=Activity.Kind.MEETING if number % 2 else Activity.Kind.CALL,
            subject=f"Spotkanie <{number}> & co",
        )
    activity(org.tomasz, occurs_at=at(1), subject="Tomasza")
    activity(org.sara, occurs_at=at(0, 12), status=Activity.Status.DONE, subject="Zrobione")
    LeadFactory(owner=org.sara, company_name="Firma <A> & B", status="new")
    LeadFactory(owner=org.sara, company_name="", contact_name="Jan O'Neil", status="qualified")
    LeadFactory(owner=org.sara, company_name="Stara", status="converted")
    now = timezone.now()
    task("Late", owner=org.sara, assignee=org.sara, due_at=now - timedelta(days=2))
    task("Later <b>", owner=org.sara, assignee=org.sara, due_at=now + timedelta(days=3))
    task("Undated", owner=org.sara, assignee=org.sara)
    task("Queued", owner=org.manager, candidate_group=roles.SALESPERSON)
    task("Board's", owner=org.manager, candidate_group=roles.BOARD, due_at=now)
    return org


def _legacy_html(response, user) -> str:
    context = response.context
    flat = (context[0] if isinstance(context, list) else context).flatten()
    panels = []
    for shown in flat["panels"]:
        if shown.key in _LEGACY_PANELS:
            template, legacy = _LEGACY_PANELS[shown.key]
            shown = replace(shown, template=template, context=legacy(user, shown.context))
        panels.append(shown)
    flat["panels"] = panels
    if flat["show_sales"]:
        flat["activities"] = _legacy_activities(user)
        flat["leads"] = pipeline.leads_to_work(user)
    return render_to_string("legacy_home/home.html", flat, response.wsgi_request)


@pytest.mark.parametrize("persona", ["sara", "manager", "board", "accountant", "admin", "stranger"])
def test_each_home_prints_what_the_per_row_templates_printed(client, home_records, persona):
    user = getattr(home_records, persona)
    client.force_login(user)
    for language in ("pl", "en"):
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
        with clock.frozen(timezone.now()):
            response = client.get(reverse("home"))
            assert response.status_code == 200
            new = _TOKEN.sub(r"\1…", response.content.decode())
            old = _TOKEN.sub(r"\1…", _legacy_html(response, user))
        assert new == old, (persona, language)
        if persona == "sara":
            # The edges are on the page: escaped names, a contact, leftovers, a queued task.
            assert "Aaa &lt;Kowalski&gt; &amp; &quot;syn&quot;" in new
            assert "O&#x27;Brien &lt;E&gt;" in new and "Jan O&#x27;Neil" in new
            assert new.count('id="home-activity-') == 12 and new.count('id="home-task-') == 4
            assert 'class="overdue text-nowrap"' in new and 'class="card-footer' in new
