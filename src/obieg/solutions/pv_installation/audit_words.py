"""The audit as people read it: each choice by its label ("dwuspadowy"), not its code ("gable").

Labels stay lazy, so a PDF drawn under `translation.override("pl")` reads
Polish and a page the reader's language.
"""

from __future__ import annotations

from typing import Any

from django import forms

from obieg.solutions.pv_installation.forms import AuditForm


def audit_words(data: dict[str, Any]) -> dict[str, Any]:
    """The label of each audit choice in `data`, by field name; unknown codes as they are."""
    words = {}
    for name, field in AuditForm.base_fields.items():
        if isinstance(field, forms.ChoiceField) and name in data:
            labels = {str(value): label for value, label in field.choices}
            words[name] = labels.get(str(data[name]), data[name])
    return words


def audit_rows(data: dict[str, Any]) -> list[tuple[Any, Any]]:
    """(label, value) of every audit field the case holds, choices in words, in form order."""
    words = audit_words(data)
    return [
        (field.label, words.get(name, data[name]))
        for name, field in AuditForm.base_fields.items()
        if data.get(name) not in (None, "")
    ]
