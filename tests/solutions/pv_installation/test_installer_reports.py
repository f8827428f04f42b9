"""Installers' reports: the day finished, a tick long before the plan, the customer's signature;
the protocol and the final invoice dated by the works, with the signature and the crews' photos."""

from __future__ import annotations

import base64
import io
import subprocess
from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from obieg.core.business_days import is_business_day
from obieg.core.errors import ApplicationError
from obieg.documents.models import Document
from obieg.engine.models import Case, WorkItem
from obieg.solutions.pv_installation import signature
from obieg.solutions.pv_installation.models import PVProject
from tests.documents import samples
from tests.solutions.pv_installation.conftest import WORK_START
from tests.solutions.pv_installation.helpers import case_of, complete, reload
from tests.solutions.pv_installation.test_installer_task_page import at_execution, task

TODAY = timezone.localdate()
ROOF = {"panel_serials": "JA001\nJA002", "roof_mounting_checked": "on", "roof_sealed": "on"}
ELECTRICAL = {
    "inverter_serial": "FR-123",
    "dc_tests_done": "on",
    "grounding_checked": "on",
    "commissioned": "on",
}
SIGNED = {"customer_signature": signature.sample(), "signed_by": "Jan Kowalski"}


def past_start() -> date:
    """A working Monday-to-Thursday already behind us, its next day a working day too."""
    day = TODAY - timedelta(days=3)
    while not (is_business_day(day) and is_business_day(day + timedelta(days=1))):
        day -= timedelta(days=1)
    return day


def page_post(client, item, data):
    return client.post(reverse("engine:task", args=[item.pk]), {"revision": item.revision, **data})


def png_url(image: Image.Image, kind="PNG") -> str:
    buffer = io.BytesIO()
    image.save(buffer, kind)
    prefix = "data:image/png;base64," if kind == "PNG" else "data:image/jpeg;base64,"
    return prefix + base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture
def planned_ahead(org, roof_crew, electrical_crew):
    return at_execution(org, roof_crew, electrical_crew)  # two weeks or more ahead


@pytest.fixture
def planned_past(org, roof_crew, electrical_crew):
    return at_execution(org, roof_crew, electrical_crew, start=past_start())


def test_reporting_long_before_the_plan_asks_for_a_tick(client, installer, planned_ahead):
    item = task(planned_ahead, "roof_work")
    client.force_login(installer)
    form = client.get(reverse("engine:task", args=[item.pk])).content.decode()
    assert 'name="roof_confirm_early"' in form
    assert WORK_START.strftime("%m/%d/%Y") in form or str(WORK_START.day) in form

    refused = page_post(client, item, ROOF)
    assert refused.status_code == 400
    assert "roof_confirm_early" in refused.context["form"].errors
    assert WorkItem.objects.get(pk=item.pk).status == "open"

    done = page_post(client, item, {**ROOF, "roof_confirm_early": "on"})
    assert done.status_code == 302
    assert WorkItem.objects.get(pk=item.pk).status == "completed"


def test_the_engine_refuses_it_too_whoever_calls(installer, planned_ahead):
    with pytest.raises(ApplicationError) as refused:
        complete(case_of(planned_ahead), "roof_work", installer, ROOF)
    assert "roof_confirm_early" in refused.value.field_errors


def test_a_part_reported_on_or_after_its_day_needs_no_tick(client, installer, planned_past):
    item = task(planned_past, "roof_work")
    client.force_login(installer)
    form = client.get(reverse("engine:task", args=[item.pk])).content.decode()
    assert 'name="roof_confirm_early"' not in form
    assert page_post(client, item, ROOF).status_code == 302


def test_a_finish_day_in_the_future_or_long_before_the_plan_is_questioned(installer, planned_past):
    case = case_of(planned_past)
    with pytest.raises(ApplicationError) as future:
        complete(case, "roof_work", installer, {**ROOF, "roof_completed_on": TODAY + timedelta(1)})
    assert "roof_completed_on" in future.value.field_errors
    backdated = (past_start() - timedelta(days=5)).isoformat()
    with pytest.raises(ApplicationError) as early:
        complete(case, "roof_work", installer, {**ROOF, "roof_completed_on": backdated})
    assert "roof_confirm_early" in early.value.field_errors
    complete(
        case,
        "roof_work",
        installer,
        {**ROOF, "roof_completed_on": backdated, "roof_confirm_early": "on"},
    )


def test_only_the_part_that_completes_the_installation_asks_for_the_signature(
    client, installer, electrician, planned_past
):
    client.force_login(installer)
    first = client.get(reverse("engine:task", args=[task(planned_past, "roof_work").pk]))
    assert 'name="customer_signature"' not in first.content.decode()
    complete(case_of(planned_past), "roof_work", installer, ROOF)

    client.force_login(electrician)
    item = task(planned_past, "electrical_work")
    last = client.get(reverse("engine:task", args=[item.pk])).content.decode()
    assert 'name="customer_signature"' in last and "signature_pad.js" in last
    assert 'value="Jan Kowalski"' in last  # who signs: the customer's contact, to correct

    refused = page_post(client, item, ELECTRICAL)
    assert refused.status_code == 400
    assert "customer_signature" in refused.context["form"].errors
    assert WorkItem.objects.get(pk=item.pk).status == "open"


@pytest.mark.parametrize(
    "drawn",
    [
        "",
        "not a picture",
        "data:image/png;base64,iVBORw0KGgo=",  # a PNG's first bytes, nothing more
        png_url(Image.new("RGBA", (600, 240), (255, 255, 255, 0))),  # an untouched pad
        png_url(Image.new("RGB", (600, 240), "white")),
        png_url(Image.new("RGB", (60, 24), "black"), kind="JPEG").replace("jpeg", "png", 1),
    ],
)
def test_a_missing_blank_or_forged_signature_is_refused(
    installer, electrician, planned_past, drawn
):
    case = case_of(planned_past)
    complete(case, "roof_work", installer, ROOF)
    with pytest.raises(ApplicationError) as refused:
        complete(
            case,
            "electrical_work",
            electrician,
            {**ELECTRICAL, "customer_signature": drawn, "signed_by": "Jan Kowalski"},
        )
    assert "customer_signature" in refused.value.field_errors
    assert Case.objects.get(pk=case.pk).status == "running"


def upload_photo(client, user, project, name, colour):
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), colour).save(buffer, "JPEG")
    client.force_login(user)
    response = client.post(
        reverse("pv:upload", args=[project.pk]),
        {"kind": "photo", "file": samples.upload(name, buffer.getvalue(), "image/jpeg")},
        HTTP_REFERER="/work/",
    )
    assert response.status_code == 302


def pdf_of(project, kind) -> bytes:
    document = Document.objects.get(
        subject_type=ContentType.objects.get_for_model(PVProject),
        subject_id=project.pk,
        kind=kind,
    )
    with document.versions.order_by("-number").first().file.open("rb") as file:
        return file.read()


def run(command, content: bytes, tmp_path) -> str:
    """A poppler tool's output for the PDF (pdftotext writes to "-", stdout)."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    to_stdout = ["-"] if command[0] == "pdftotext" else []
    return subprocess.run(
        [*command, str(path), *to_stdout], capture_output=True, text=True, check=True
    ).stdout


def test_the_protocol_and_invoice_are_dated_by_the_works_with_signature_and_photos(
    client, org, installer, electrician, planned_past, tmp_path
):
    project = planned_past
    upload_photo(client, org.sara, project, "audyt-dach.jpg", "gray")  # the audit's, not the works'
    upload_photo(client, installer, project, "moduly.jpg", "navy")
    upload_photo(client, electrician, project, "falownik.jpg", "green")
    roof_day, electrical_day = past_start(), past_start() + timedelta(days=1)
    case = case_of(project)
    complete(case, "roof_work", installer, {**ROOF, "roof_completed_on": roof_day.isoformat()})
    complete(
        case,
        "electrical_work",
        electrician,
        {**ELECTRICAL, **SIGNED, "electrical_completed_on": electrical_day.isoformat()},
    )

    project = reload(project)
    final = project.final_invoice
    assert final.sale_date == electrical_day  # the service was done then
    assert final.issue_date == TODAY  # and the invoice is issued now
    protocol = pdf_of(project, "protocol")
    text = run(["pdftotext", "-layout"], protocol, tmp_path)
    assert f"Data zakończenia prac: {electrical_day:%d.%m.%Y}" in text
    assert "Jan Kowalski" in text and "moduly.jpg" in text and "falownik.jpg" in text
    assert "audyt-dach.jpg" not in text
    listed = run(["pdfimages", "-list"], protocol, tmp_path).splitlines()[2:]
    images = [row.split() for row in listed if row.split()[2] == "image"]  # not alpha masks
    assert len(images) == 3  # the signature and the two installers' photos
    assert sorted(row[8] for row in images) == ["image", "jpeg", "jpeg"]  # PNG, 2 JPEGs
    assert f"od dnia odbioru ({electrical_day:%d.%m.%Y})" in run(
        ["pdftotext"], pdf_of(project, "warranty"), tmp_path
    )
    # The drawn picture lives in the protocol, not in every later copy of the case data.
    assert Case.objects.get(pk=case.pk).data["customer_signature"] == ""
    assert Case.objects.get(pk=case.pk).data["works_completed_on"] == electrical_day.isoformat()
