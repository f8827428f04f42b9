"""The process studio's forms: upload models, start a new diagram."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from obieg.engine.studio import workspace

AUTO = "__auto__"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".bpmn,.dmn"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def solution_choices(*, with_auto: bool) -> list[tuple[str, object]]:
    choices: list[tuple[str, object]] = [
        (label, label or _("Own processes (no solution)")) for label in workspace.solutions()
    ]
    if with_auto:
        choices.insert(0, (AUTO, _("The solution whose process the file changes")))
    return choices


class UploadForm(forms.Form):
    files = MultipleFileField(label=_("Model files (.bpmn, .dmn)"))  # type: ignore[assignment]
    solution = forms.ChoiceField(label=_("Solution"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["solution"].choices = solution_choices(with_auto=True)

    def chosen_solution(self) -> str | None:
        value = self.cleaned_data.get("solution", AUTO)
        return None if value == AUTO else value  # "" is the studio's own processes


PROCESS_ID = re.compile(r"^[A-Za-z_][\w\-.]{0,99}$")


class NewDiagramForm(forms.Form):
    name = forms.CharField(label=_("Process name"), max_length=200)
    process_id = forms.CharField(
        label=_("Process id"),
        max_length=100,
        help_text=_("Letters, digits and underscores, starting with a letter: cases refer to it."),
    )
    solution = forms.ChoiceField(label=_("Solution"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["solution"].choices = solution_choices(with_auto=False)

    def clean_process_id(self) -> str:
        value = self.cleaned_data["process_id"].strip()
        if not PROCESS_ID.match(value):
            raise forms.ValidationError(
                _("Use letters, digits and underscores, starting with a letter.")
            )
        return value


class NewTableForm(forms.Form):
    name = forms.CharField(label=_("Decision name"), max_length=200)
    decision_id = forms.CharField(
        label=_("Decision id"),
        max_length=100,
        help_text=_(
            "Letters, digits and underscores, starting with a letter: business rule tasks "
            "pick the decision by it."
        ),
    )
    solution = forms.ChoiceField(label=_("Solution"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["solution"].choices = solution_choices(with_auto=False)

    def clean_decision_id(self) -> str:
        value = self.cleaned_data["decision_id"].strip()
        if not PROCESS_ID.match(value):
            raise forms.ValidationError(
                _("Use letters, digits and underscores, starting with a letter.")
            )
        return value
