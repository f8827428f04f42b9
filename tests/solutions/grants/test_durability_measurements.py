"""Measurements: entered once by the coordinator or by the client's link; reports generated."""

from __future__ import annotations

import io
import threading
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection
from django.urls import reverse

from obieg.core import clock
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.core.models import AuditEntry
from obieg.documents.models import Document
from obieg.solutions.grants import durability, links, report_documents
from obieg.solutions.grants.models import GrantProject, Indicator, Measurement, Obligation
from tests.solutions.grants.helpers import make_project

PAID = date(2026, 3, 16)


def at(year: int, month: int, day: int, **kwargs):
    return clock.frozen(datetime(year, month, day, 10, tzinfo=UTC), **kwargs)


def in_durability(inst, *targets: str) -> GrantProject:
    project = make_project(inst)
    GrantProject.objects.filter(pk=project.pk).update(durability_years=3)
    project.refresh_from_db()
    for n, target in enumerate(targets or ("3",)):
        Indicator.objects.create(
            project=project,
            kind=Indicator.Kind.RESULT,
            name=f"Miejsca pracy {n}",
            unit="etaty",
            target=Decimal(target),
        )
    with at(2026, 3, 16):
        durability.start(actor=inst.coordinator, project=project, final_payment_on=PAID)
    project.refresh_from_db()
    return project


def first_measurement(project) -> Measurement:
    return Measurement.objects.filter(indicator__project=project).order_by("due_date", "id")[0]


def test_the_coordinator_records_a_measurement_below_target(institution):
    project = in_durability(institution)
    measurement = first_measurement(project)

    with at(2027, 3, 17):
        durability.record_measurement(
            measurement=measurement,
            value="2,99",
            measured_on=date(2027, 3, 16),
            actor=institution.coordinator,
        )

    indicator = Indicator.objects.get(project=project)
    assert indicator.latest_value == Decimal("2.99") and indicator.below_target
    assert Obligation.objects.get(measurement=measurement).state == "done"
    assert AuditEntry.objects.filter(object_id=measurement.pk, changes__has_key="value").exists()


def test_a_value_exactly_on_target_is_not_below_it(institution):
    project = in_durability(institution, "3.00")

    with at(2027, 3, 17):
        durability.record_measurement(
            measurement=first_measurement(project),
            value="3",
            measured_on=date(2027, 3, 16),
            actor=institution.coordinator,
        )

    assert Indicator.objects.get(project=project).below_target is False


def test_a_second_entry_is_refused_and_keeps_the_first(institution):
    project = in_durability(institution)
    measurement = first_measurement(project)
    with at(2027, 3, 17):
        durability.record_measurement(
            measurement=measurement, value="4", measured_on=date(2027, 3, 16), by_client=True
        )
        with pytest.raises(ApplicationError) as refused:
            durability.record_measurement(
                measurement=measurement,
                value="1",
                measured_on=date(2027, 3, 17),
                actor=institution.coordinator,
            )

    assert "already" in refused.value.message
    measurement.refresh_from_db()
    assert measurement.value == Decimal("4.00") and measurement.entered_by_client


@pytest.mark.parametrize(
    ("value", "measured_on", "field"),
    [
        ("", date(2027, 3, 16), "value"),
        ("NaN", date(2027, 3, 16), "value"),
        ("1.234", date(2027, 3, 16), "value"),
        ("9" * 13, date(2027, 3, 16), "value"),
        ("3", date(2027, 3, 18), "measured_on"),  # tomorrow
        ("3", date(2026, 3, 1), "measured_on"),  # before the final payment
        ("3", None, "measured_on"),
    ],
)
def test_bad_measurements_are_refused_with_field_errors(institution, value, measured_on, field):
    project = in_durability(institution)
    measurement = first_measurement(project)

    with at(2027, 3, 17), pytest.raises(ApplicationError) as refused:
        durability.record_measurement(
            measurement=measurement,
            value=value,
            measured_on=measured_on,
            actor=institution.coordinator,
        )

    assert field in refused.value.field_errors
    measurement.refresh_from_db()
    assert measurement.value is None
    assert Obligation.objects.get(measurement=measurement).state == "open"


def test_a_coordinator_of_another_project_may_not_enter_values(institution):
    project = in_durability(institution)

    with at(2027, 3, 17), pytest.raises(PermissionDenied):
        durability.record_measurement(
            measurement=first_measurement(project),
            value="3",
            measured_on=date(2027, 3, 16),
            actor=institution.other_coordinator,
        )


@pytest.mark.django_db(transaction=True)
def test_two_entries_at_once_one_wins_cleanly(institution):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are exercised on PostgreSQL; SQLite serialises them")
    project = in_durability(institution)
    measurement = first_measurement(project)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def enter(value: str):
        try:
            start.wait(timeout=20)
            durability.record_measurement(
                measurement=Measurement.objects.get(pk=measurement.pk),
                value=value,
                measured_on=date(2027, 3, 16),
                by_client=True,
            )
            outcomes.append("recorded")
        except ApplicationError as error:
            outcomes.append(error.message)
        finally:
            close_old_connections()
            connection.close()

    with at(2027, 3, 17, all_threads=True):
        threads = [threading.Thread(target=enter, args=(v,)) for v in ("1", "5")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert sorted(outcomes)[-1] == "recorded" and outcomes.count("recorded") == 1
    measurement.refresh_from_db()
    indicator = Indicator.objects.get(project=project)
    assert indicator.latest_value == measurement.value
    assert indicator.below_target == (measurement.value < Decimal(3))


# --- the client's link -------------------------------------------------------------------


def test_the_client_enters_the_value_through_the_link_in_polish(institution, client):
    project = in_durability(institution)
    measurement = first_measurement(project)
    url = links.measurement_url(measurement).removeprefix("http://127.0.0.1:8000")

    with at(2027, 3, 17):
        page = client.get(url)
        sent = client.post(url, {"value": "3,5", "measured_on": "2027-03-16"})

    assert page.status_code == 200 and 'lang="pl"' in page.content.decode()
    assert sent.status_code == 200 and 'role="status"' in sent.content.decode()
    measurement.refresh_from_db()
    assert measurement.value == Decimal("3.50") and measurement.entered_by_client
    assert measurement.entered_by is None


def test_an_english_client_reads_english_and_a_second_entry_is_refused(institution, client):
    institution.client.language = "en"
    institution.client.save(update_fields=["language"])
    project = in_durability(institution)
    measurement = first_measurement(project)
    url = reverse("grants:measurement_entry", args=[links.measurement_token(measurement)])

    with at(2027, 3, 17):
        client.post(url, {"value": "2", "measured_on": "2027-03-16"})
        again = client.post(url, {"value": "9", "measured_on": "2027-03-17"})

    assert again.status_code == 409 and 'lang="en"' in again.content.decode()
    assert "already been entered" in again.content.decode()
    measurement.refresh_from_db()
    assert measurement.value == Decimal("2.00")


def test_bad_input_on_the_link_shows_field_errors(institution, client):
    project = in_durability(institution)
    url = reverse(
        "grants:measurement_entry", args=[links.measurement_token(first_measurement(project))]
    )

    with at(2027, 3, 17):
        response = client.post(url, {"value": "abc", "measured_on": "jutro"})

    assert response.status_code == 400
    assert first_measurement(project).value is None


def test_a_forged_link_is_a_404(institution, client):
    response = client.get(reverse("grants:measurement_entry", args=["not-a-token"]))

    assert response.status_code == 404


# --- reports -----------------------------------------------------------------------------


def test_the_report_is_generated_as_pdf_and_docx_and_submitted(institution):
    import docx

    project = in_durability(institution, "3")
    with at(2027, 3, 17):
        durability.record_measurement(
            measurement=first_measurement(project),
            value="2",
            measured_on=date(2027, 3, 16),
            actor=institution.coordinator,
        )
    report = project.durability_reports.get(number=1)

    with at(2027, 4, 2):
        pdf_doc, docx_doc = report_documents.generate(actor=institution.coordinator, report=report)
        report_documents.generate(actor=institution.coordinator, report=report)
        durability.report_submit(actor=institution.coordinator, report=report)

    report.refresh_from_db()
    assert report.document_id == pdf_doc.pk and report.status == "submitted"
    assert report.submitted_on == date(2027, 4, 2)
    assert Obligation.objects.get(report=report).state == "done"
    assert pdf_doc.versions.count() == 2 and docx_doc.versions.count() == 2
    assert pdf_doc.kind == Document.Kind.REPORT and pdf_doc.subject_id == project.pk
    pdf_bytes = pdf_doc.versions.order_by("-number").first().file.read()
    assert pdf_bytes.startswith(b"%PDF")
    word = docx.Document(io.BytesIO(docx_doc.versions.order_by("-number").first().file.read()))
    cells = [[cell.text for cell in row.cells] for row in word.tables[0].rows]
    assert cells[1][:4] == ["Miejsca pracy 0", "etaty", "0,00", "3,00"]
    assert "16.03.2027: 2,00" in cells[1][4]
    assert cells[1][5] == "PONIŻEJ WARTOŚCI DOCELOWEJ"


def test_a_report_is_submitted_once(institution):
    project = in_durability(institution)
    report = project.durability_reports.get(number=1)
    with at(2027, 4, 2):
        durability.report_submit(actor=institution.coordinator, report=report)
        with pytest.raises(ApplicationError):
            durability.report_submit(actor=institution.coordinator, report=report)

    report.refresh_from_db()
    assert report.submitted_on == date(2027, 4, 2)


def test_a_measurement_moved_past_a_weekend_belongs_to_its_years_report(institution):
    project = make_project(institution)
    GrantProject.objects.filter(pk=project.pk).update(durability_years=3)
    project.refresh_from_db()
    indicator = Indicator.objects.create(
        project=project, kind="result", name="Etaty", unit="etaty", target=Decimal(3)
    )
    with at(2026, 10, 2):
        durability.start(
            actor=institution.coordinator, project=project, final_payment_on=date(2026, 10, 2)
        )
    first = indicator.measurements.order_by("due_date")[0]
    assert first.due_date == date(2027, 10, 4)  # the anniversary, 2 Oct 2027, is a Saturday
    with at(2027, 10, 4):
        durability.record_measurement(
            measurement=first, value="2", measured_on=date(2027, 10, 4), by_client=True
        )

    one = report_documents.context(project.durability_reports.get(number=1))["rows"][0]
    two = report_documents.context(project.durability_reports.get(number=2))["rows"][0]

    assert [(v["due"], v["short"], v["in_period"]) for v in one["values"]] == [
        (date(2027, 10, 4), True, True)
    ]
    assert [v["in_period"] for v in two["values"]] == [False, True]
