"""The case data as people read it: labels and values from the forms, comments on the task."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils import translation

from obieg.core.models import Department
from obieg.engine import registry
from obieg.engine.runtime import services as engine
from obieg.engine.web import case_context, case_fields
from tests.engine.conftest import deploy_samples
from tests.engine.helpers import open_item, reload


class ReviewForm(forms.Form):
    margin = forms.DecimalField(label="Margin", max_digits=6, decimal_places=4)
    verdict = forms.ChoiceField(
        label="Verdict", choices=[("ok", "Looks right"), ("redo", "Do it again")]
    )
    department = forms.ModelChoiceField(Department.objects.all(), label="Department")
    visit_on = forms.DateField(label="Visit on")
    urgent = forms.BooleanField(label="Urgent", required=False)


def test_case_data_shows_labels_and_what_the_values_mean(db, org):
    registry.unregister("tests.offer")
    registry.register_form("tests.offer", ReviewForm)
    deploy_samples("approval.bpmn")
    case = engine.start_case(process="offer_approval", actor=org.sara)
    department = Department.objects.create(name="Instalacje")
    data = {
        "margin": "1234.5",
        "verdict": "redo",
        "department": department.pk,
        "visit_on": "2026-12-06",
        "urgent": True,
        "started_by_import": "yes",
    }

    with translation.override("pl"):
        rows = dict(case_context.data_rows(data, case_fields.fields_of(case)))

    assert rows["Verdict"] == "Do it again"  # the choice's label, not "redo"
    assert rows["Department"] == "Instalacje"  # the record, not its id
    assert rows["Visit on"] == "06.12.2026"
    assert rows["Margin"] == "1\xa0234,5"
    assert rows["Urgent"] == "tak"
    assert rows["Started by import"] == "yes"  # a key no form knows, made readable


def test_a_solution_declares_keys_no_form_writes(db, org):
    deploy_samples("approval.bpmn")
    case = engine.start_case(process="offer_approval", actor=org.sara)
    department = Department.objects.create(name="Wyceny")
    # The expert-opinions solution declares its start data (see its registration).
    data = {"suggested_department": department.pk}
    rows = dict(case_context.data_rows(data, case_fields.fields_of(case)))
    assert rows["Suggested department"] == "Wyceny"


def test_a_returns_comment_is_shown_on_the_next_task(client, org):
    deploy_samples("approval.bpmn")
    case = engine.start_case(process="offer_approval", actor=org.sara)
    item = engine.claim(work_item=open_item(case, "prepare_offer"), actor=org.sara)
    engine.complete(work_item=item, actor=org.sara, data={"margin": "0.05"}, revision=item.revision)
    board = open_item(reload(case), "board_approval")
    board = engine.claim(work_item=board, actor=org.board)
    engine.complete(
        work_item=board,
        actor=org.board,
        data={"comment": "Raise the price by 5%, then send it."},
        revision=board.revision,
    )

    client.force_login(org.sara)
    page = client.get(reverse("engine:task", args=[open_item(reload(case), "send_offer").pk]))

    html = page.content.decode()
    assert 'id="case-comments"' in html
    assert "Raise the price by 5%, then send it." in html
