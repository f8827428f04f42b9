"""The administrator's repair of a stopped case: the failed step's data, and where to go back.

A completion that failed is shown as the person's own form, filled with
what they submitted, so the administrator corrects a value where the
person would have; a message, a start or a plain task shows its data as JSON.
"""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from obieg.engine import registry
from obieg.engine.models import Case, CaseStatus
from obieg.engine.runtime import rows
from obieg.engine.runtime import services as engine
from obieg.engine.web.task_forms import task_data

REPAIR_FIELD = "repair"  # posted with corrected data; a plain retry replays as it was


class PendingDataForm(forms.Form):
    """A message's payload, a start's data or a plain task's, as one JSON object."""

    # The form metaclass moves declared fields to base_fields: form.data stays the posted data.
    data = forms.CharField(  # type: ignore[assignment]
        label=_("Data of the failed step (JSON)"),
        widget=forms.Textarea(attrs={"rows": 6, "class": "font-monospace"}),
    )

    def clean_data(self) -> dict[str, Any]:
        try:
            value = json.loads(self.cleaned_data["data"])
        except ValueError as error:
            message = _("This is not valid JSON: %(error)s") % {"error": error}
            raise forms.ValidationError(message) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_('Give an object of named values: {"name": value}.'))
        return value


class MoveBackForm(forms.Form):
    task = forms.ChoiceField(label=_("Move the case back to"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the case history. The task opens again with the data it had."),
    )

    def __init__(self, *args, points: list[dict[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["task"]).choices = [
            (point["id"], point["name"]) for point in points
        ]


def repair_form(case: Case, posted: QueryDict | None = None) -> forms.Form | None:
    """The form to correct the failed step's data; None when it has none (a timer)."""
    pending = case.pending_step or {}
    if case.status != CaseStatus.ERROR or pending.get("kind") not in (
        "complete",
        "message",
        "start",
    ):
        return None
    current = engine.pending_data(case) or {}
    if pending["kind"] == "complete":
        item = rows.work_item(pending["work_item"])
        form_class = registry.form_for(item.form_key, case=case) if item.form_key else None
        if form_class is not None:
            return form_class(data=posted) if posted is not None else form_class(initial=current)
        # A plain task takes any named values (the API may have sent more than a comment).
    if posted is not None:
        return PendingDataForm(data=posted)
    return PendingDataForm(initial={"data": json.dumps(current, cls=DjangoJSONEncoder, indent=2)})


def corrected_data(form: forms.Form, posted: QueryDict) -> dict[str, Any]:
    """What the valid repair form gives `retry_case` (checked again there)."""
    if isinstance(form, PendingDataForm):
        return form.cleaned_data["data"]
    data = task_data(form, posted)
    if hasattr(data, "pop"):
        data.pop(REPAIR_FIELD, None)
    return data


def move_back_form(case: Case, posted: QueryDict | None = None) -> MoveBackForm | None:
    points = engine.return_points(case)
    if not points:
        return None
    return MoveBackForm(data=posted, points=points)
