"""The reports' filter: the period, one salesperson or one team.

The people and teams offered are those the reader may report on
(crm.reports.scope); a choice outside them is an `invalid_choice` error,
which the view answers with 403.
"""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from obieg.core.inputs import DateInput
from obieg.crm.reports import scope
from obieg.crm.reports.table import Period

# Month buckets stay few, and the period's rows stay on an index range.
MAX_DAYS = 3 * 366


def month_start(day: date, months_back: int = 0) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months_back, 12)
    return date(year, month + 1, 1)


def month_end(day: date, months_ahead: int = 0) -> date:
    after = month_start(day, -(months_ahead + 1))
    return after - timedelta(days=1)


class ReportFilter(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    owner = forms.ModelChoiceField(
        label=_("Salesperson"), queryset=None, required=False, empty_label=_("everyone I may see")
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=None, required=False, empty_label=_("all teams")
    )

    def __init__(self, data, *, user, default: Period | None):
        super().__init__(data)
        self.default = default
        self.fields["owner"].queryset = (
            scope.people(user).filter(is_active=True).order_by("first_name", "last_name", "id")
        )
        self.fields["team"].queryset = scope.teams(user).order_by("name")
        if default is None:  # the pipeline is a snapshot of today
            del self.fields["date_from"], self.fields["date_to"]
        if not self.fields["team"].queryset.exists():
            del self.fields["team"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("owner") and cleaned.get("team"):
            self.add_error("team", _("Choose a salesperson or a team, not both."))
        if self.default is None or self.errors:
            return cleaned
        first = cleaned.get("date_from") or self.default.first
        last = cleaned.get("date_to") or self.default.last
        if last < first:
            self.add_error("date_to", _("The period must end on or after its first day."))
        elif (last - first).days + 1 > MAX_DAYS:
            self.add_error("date_to", _("Choose a period of at most three years."))
        else:
            cleaned["period"] = Period(first, last)
        return cleaned

    def refused_choice(self) -> bool:
        """Whether a person or team outside the reader's scope was asked for."""
        return any(
            self.has_error(name, "invalid_choice")
            for name in ("owner", "team")
            if name in self.fields
        )
