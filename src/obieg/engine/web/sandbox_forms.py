"""The test-run pages' forms: which process and what data to start with, a worker's answer."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_JSON_CHARS = 20_000


class JsonObjectField(forms.CharField):
    """A JSON object typed by the administrator ({} when left empty)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", MAX_JSON_CHARS)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4, "class": "font-monospace"}))
        super().__init__(**kwargs)

    def clean(self, value) -> dict[str, Any]:
        text = (super().clean(value) or "").strip()
        if not text:
            return {}
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("This is not JSON (line %(line)d, column %(column)d): %(error)s"),
                params={"line": error.lineno, "column": error.colno, "error": error.msg},
            ) from None
        if not isinstance(parsed, dict):
            raise forms.ValidationError(_('Write an object of named values: {"amount": 1200}.'))
        return parsed


class StartRunForm(forms.Form):
    process = forms.ChoiceField(label=_("Process"))
    start_data = JsonObjectField(
        label=_("Data the case starts with"),
        help_text=_('Optional, as JSON: {"amount": 1200, "customer": "Test"}.'),
    )

    def __init__(self, *args, processes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        process = self.fields["process"]
        assert isinstance(process, forms.ChoiceField)
        process.choices = [(key, key) for key in processes]


class ExternalAnswerForm(forms.Form):
    variables = JsonObjectField(
        label=_("What the worker returns"),
        help_text=_("Optional, as JSON; merged into the case data."),
    )
