"""Durability pages: indicators and measurements, report actions, the project page's block."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from obieg.core import clock
from obieg.solutions.grants import durability, views_durability
from obieg.solutions.grants.models import GrantProject, Indicator, Measurement

NEW = {
    "action": "add",
    "name": "Nowe miejsca pracy",
    "kind": "result",
    "unit": "etaty",
    "baseline": "0",
    "target": "3",
    "higher_is_better": "on",
}


def at(day: date):
    return clock.frozen(datetime(day.year, day.month, day.day, 9, tzinfo=UTC))


def project_of(inst):
    from tests.solutions.grants.helpers import make_project

    return make_project(inst)


def test_the_coordinator_adds_an_indicator_on_the_page(institution, client):
    project = project_of(institution)
    client.force_login(institution.coordinator)
    url = reverse("grants:indicators", args=[project.pk])

    page = client.get(url)
    added = client.post(url, NEW)

    assert page.status_code == 200 and 'id="indicator-add"' in page.content.decode()
    assert added.status_code == 302
    assert project.indicators.get().target == Decimal("3.00")


def test_a_bad_indicator_shows_the_field_error_and_adds_nothing(institution, client):
    project = project_of(institution)
    client.force_login(institution.coordinator)

    response = client.post(reverse("grants:indicators", args=[project.pk]), {**NEW, "target": "-2"})

    assert response.status_code == 400
    assert "is-invalid" in response.content.decode()
    assert not project.indicators.exists()


def test_an_unknown_indicator_or_action_is_not_a_500(institution, client):
    project = project_of(institution)
    client.force_login(institution.coordinator)
    url = reverse("grants:indicators", args=[project.pk])

    missing = client.post(url, {"action": "remove", "id": "999999"})
    garbage = client.post(url, {"action": "remove", "id": "x"})
    unknown = client.post(url, {"action": "explode"})

    assert (missing.status_code, garbage.status_code, unknown.status_code) == (404, 404, 400)


def test_someone_outside_the_project_neither_reads_nor_writes_it(institution, client):
    project = project_of(institution)
    client.force_login(institution.accountant)  # not the project's advisor nor coordinator

    page = client.get(reverse("grants:indicators", args=[project.pk]))
    refused = client.post(reverse("grants:indicators", args=[project.pk]), NEW)

    assert (page.status_code, refused.status_code) == (404, 404)
    assert not project.indicators.exists()


def test_another_coordinator_does_not_see_the_page(institution, client):
    project = project_of(institution)
    client.force_login(institution.other_coordinator)

    response = client.get(reverse("grants:indicators", args=[project.pk]))

    assert response.status_code == 404


def started(inst):
    project = project_of(inst)
    GrantProject.objects.filter(pk=project.pk).update(durability_years=3)
    project.refresh_from_db()
    Indicator.objects.create(project=project, kind="result", name="Etaty", unit="etaty", target=3)
    with at(date(2026, 3, 16)):
        durability.start(
            actor=inst.coordinator, project=project, final_payment_on=date(2026, 3, 16)
        )
    project.refresh_from_db()
    return project


def test_the_coordinator_enters_a_measurement_and_the_block_flags_it(institution, client):
    project = started(institution)
    measurement = Measurement.objects.filter(indicator__project=project).order_by("due_date")[0]
    client.force_login(institution.coordinator)

    with at(date(2027, 3, 17)):
        response = client.post(
            reverse("grants:indicators", args=[project.pk]),
            {"action": "measure", "id": measurement.pk, "value": "1", "measured_on": "2027-03-16"},
        )
        page = client.get(reverse("grants:indicators", args=[project.pk]))

    assert response.status_code == 302
    measurement.refresh_from_db()
    assert measurement.value == Decimal("1.00")
    assert measurement.entered_by == institution.coordinator
    html = page.content.decode()
    assert "table-danger" in html and 'value="33"' in html  # 1 of 3: a third of the way


def test_the_section_shows_the_period_and_the_reports(institution):
    project = started(institution)
    request = RequestFactory().get("/")
    request.user = institution.coordinator

    context = views_durability.section_context(request, project)
    html = render_to_string(
        "grants/durability/_section.html", {"durability": context}, request=request
    )

    assert context["started"] and len(context["reports"]) == 3 and context["may_change"]
    assert 'id="durability-reports"' in html
    assert reverse("grants:durability_report_submit", args=[project.pk, 1]) in html


def test_the_report_actions_generate_and_submit(institution, client):
    project = started(institution)
    client.force_login(institution.coordinator)

    with at(date(2027, 4, 2)):
        generated = client.post(reverse("grants:durability_report_generate", args=[project.pk, 1]))
        submitted = client.post(reverse("grants:durability_report_submit", args=[project.pk, 1]))
        again = client.post(reverse("grants:durability_report_submit", args=[project.pk, 1]))
        missing = client.post(reverse("grants:durability_report_submit", args=[project.pk, 9]))

    assert (generated.status_code, submitted.status_code, again.status_code) == (302, 302, 302)
    assert missing.status_code == 404
    report = project.durability_reports.get(number=1)
    assert report.status == "submitted" and report.document_id is not None


def test_a_future_submission_date_is_refused(institution, client):
    project = started(institution)
    client.force_login(institution.coordinator)

    with at(date(2027, 4, 2)):
        client.post(
            reverse("grants:durability_report_submit", args=[project.pk, 1]),
            {"submitted_on": "2027-04-03"},
        )

    assert project.durability_reports.get(number=1).status == "due"


def test_the_project_page_shows_the_durability_block(institution, client):
    project = started(institution)
    client.force_login(institution.coordinator)

    with at(date(2026, 4, 1)):
        page = client.get(project.get_absolute_url())

    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="durability"' in html and 'id="durability-reports"' in html


def test_a_bad_change_shows_the_error_beside_that_indicator(institution, client):
    project = project_of(institution)
    indicator = durability.indicator_add(
        actor=institution.coordinator, project=project, data={**NEW, "action": None}
    )
    client.force_login(institution.coordinator)

    response = client.post(
        reverse("grants:indicators", args=[project.pk]),
        {**NEW, "action": "change", "id": indicator.pk, "target": "1.234"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="indicator-{indicator.pk}"' in html and "is-invalid" in html
    indicator.refresh_from_db()
    assert indicator.target == Decimal("3.00")
