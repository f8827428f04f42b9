"""The accountant's, the sales manager's and the administrator's homes."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from obieg.billing.models import Invoice
from obieg.core import roles
from obieg.crm.models import Activity
from obieg.engine.models import Case
from tests.web.home_fixtures import activity, at, invoice, schedule_item, task


def keys(response) -> list[str]:
    return [shown.key for shown in response.context["panels"]]


def panel(response, key: str) -> dict:
    return next(shown.context for shown in response.context["panels"] if shown.key == key)


def test_the_accountant_sees_invoices_to_issue_and_payments_overdue(client, org):
    today = timezone.localdate()
    schedule_item(org.sara, due_date=today - timedelta(days=2), last_error="The buyer has no NIP.")
    schedule_item(org.sara, due_date=today + timedelta(days=5))
    schedule_item(org.sara, due_date=today + timedelta(days=30))  # not this week
    invoice(
        org.sara,
        due_date=today - timedelta(days=40),
        status=Invoice.Status.PARTLY_PAID,
        gross="1000.00",
        paid="400.00",
    )
    oldest = invoice(org.olga, due_date=today - timedelta(days=60))
    invoice(org.sara, due_date=today - timedelta(days=5), status=Invoice.Status.PAID)
    invoice(org.sara, due_date=today + timedelta(days=5))  # not yet due
    client.force_login(org.accountant)

    response = client.get(reverse("home"))

    billing = panel(response, "billing.accountant")
    assert [item.due_date for item in billing["to_issue"]["items"]] == [
        today - timedelta(days=2),
        today + timedelta(days=5),
    ]
    assert billing["to_issue"]["due_now"] == 1
    overdue = billing["overdue"]
    assert [i.due_date for i in overdue["invoices"]] == [
        today - timedelta(days=60),
        today - timedelta(days=40),
    ]
    assert overdue["count"] == 2
    html = response.content.decode()
    assert "The buyer has no NIP." in html and "600,00\xa0zł" in html
    assert reverse("billing:invoice_detail", args=[oldest.pk]) in html
    assert reverse("billing:issue_due") in html


def test_a_salesperson_gets_no_accounting_panel(client, org):
    invoice(org.sara, due_date=timezone.localdate() - timedelta(days=3))
    client.force_login(org.sara)
    response = client.get(reverse("home"))
    assert "billing.accountant" not in keys(response)
    assert 'id="home-overdue"' not in response.content.decode()


def test_an_accountant_with_nothing_to_do_is_told_so(client, org):
    client.force_login(org.accountant)
    html = client.get(reverse("home")).content.decode()
    assert "No payment schedule calls for an invoice this week." in html
    assert "Every invoice past its due date is paid." in html
    assert reverse("billing:issue_due") not in html


def test_the_manager_sees_each_members_tasks_and_planned_activities(client, org):
    now = timezone.now()
    task("Call back", owner=org.sara, assignee=org.sara, due_at=now - timedelta(hours=1))
    task("Send offer", owner=org.sara, assignee=org.sara)
    activity(org.tomasz, occurs_at=at(-2))
    activity(org.tomasz, occurs_at=at(3))
    activity(org.tomasz, occurs_at=at(20))  # beyond the week
    activity(org.tomasz, occurs_at=at(1), status=Activity.Status.DONE)
    activity(org.olga, occurs_at=at(1))  # another team
    client.force_login(org.manager)

    response = client.get(reverse("home"))

    load = panel(response, "web.team_load")
    rows = {row["name"]: row for row in load["people"]}
    assert set(rows) == {"Sara", "Tomasz"}
    assert (rows["Sara"]["tasks"], rows["Sara"]["tasks_overdue"]) == (2, 1)
    assert (rows["Tomasz"]["activities"], rows["Tomasz"]["activities_overdue"]) == (2, 1)
    assert load["chart"]["labels"] == ["Sara", "Tomasz"]
    html = response.content.decode()
    assert 'data-home-chart="team-load-data"' in html
    assert "vendor/chart.js/chart.umd.min.js" in html and "web/home_charts.js" in html


def test_a_salesperson_has_no_team_load_nor_chart_script(client, org):
    client.force_login(org.sara)
    response = client.get(reverse("home"))
    assert "web.team_load" not in keys(response)
    assert "chart.umd.min.js" not in response.content.decode()


def test_the_administrator_sees_what_needs_them(client, org):
    task("Nobody's", owner=org.sara)
    task("Stopped", owner=org.sara, status="error", assignee=org.sara)
    task("Queued", owner=org.sara, candidate_group=roles.BOARD)
    client.force_login(org.admin)

    response = client.get(reverse("home"))

    health = panel(response, "web.admin_health")
    assert (health["unassigned"], health["failed"]) == (1, 1)
    assert Case.objects.filter(status="error").count() == 1
    html = response.content.decode()
    assert reverse("engine:unassigned") in html and "?status=error" in html
    assert "web.admin_health" not in keys(_as(client, org.sara))


def _as(client, user):
    client.force_login(user)
    return client.get(reverse("home"))
