"""The merge form: one choice per field in which the two accounts differ, and their revisions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from obieg.crm import merge


class AccountMergeForm(forms.Form):
    """Built from the comparison: a radio group for each field both accounts fill differently."""

    survivor_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    duplicate_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, comparison: list[merge.FieldComparison], **kwargs):
        super().__init__(*args, **kwargs)
        self.comparison = comparison
        for row in comparison:
            if row.outcome != "choose":
                continue
            choices = [
                (merge.SURVIVOR, row.survivor),
                (merge.DUPLICATE, row.duplicate),
            ]
            if row.allows_both:
                choices.append((merge.BOTH, _("keep both")))
            self.fields[self.field_name(row.key)] = forms.ChoiceField(
                label=row.label,
                choices=choices,
                initial=merge.SURVIVOR,
                widget=forms.RadioSelect,
            )

    @staticmethod
    def field_name(key: str) -> str:
        return f"keep_{key}"

    def rows(self):
        """Each compared field with its radio group (None where there is nothing to choose)."""
        for row in self.comparison:
            name = self.field_name(row.key)
            yield row, (self[name] if name in self.fields else None)

    def choices(self) -> dict[str, str]:
        return {
            row.key: self.cleaned_data[self.field_name(row.key)]
            for row in self.comparison
            if self.field_name(row.key) in self.cleaned_data
        }
