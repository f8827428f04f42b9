"""Forms of the manager's pages: the view's filter and the salespeople's settings.

They only read and check what was posted; the writes (conditional, audited)
are in manager_settings.py.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from obieg.core import clock
from obieg.core.identifiers import validate_postal_code
from obieg.core.inputs import DateInput
from obieg.solutions.pv_salesforce import selectors_manager
from obieg.solutions.pv_salesforce.models_field import FieldDay
from obieg.solutions.pv_salesforce.models_queue import Absence, SellerDay

DATE = DateInput()
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def weekday_names(days) -> str:
    """ "Monday, Tuesday, …" for a working week's day numbers."""
    names = dict(WEEKDAYS)
    return ", ".join(str(names[day]) for day in sorted(days or []) if day in names)


BREAKDOWNS = [("voivodeship", _("by voivodeship")), ("score", _("by score band"))]
# The settings forms carry what the page showed: the write is refused when it changed.
SHOWN = forms.CharField(required=False, widget=forms.HiddenInput)


class ManagerViewFilter(forms.Form):
    """The day of the schedule fill, the range of the outcomes and the funnel."""

    day = forms.DateField(label=_("Day"), required=False, widget=DATE)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Until"), required=False, widget=DATE)
    by = forms.ChoiceField(label=_("Queues"), choices=BREAKDOWNS, required=False)

    def clean(self):
        cleaned = super().clean()
        today = clock.today()
        cleaned["day"] = cleaned.get("day") or today
        cleaned["date_to"] = cleaned.get("date_to") or today
        cleaned["date_from"] = cleaned.get("date_from") or cleaned["date_to"] - timedelta(days=6)
        cleaned["by"] = cleaned.get("by") or "voivodeship"
        first, last = cleaned["date_from"], cleaned["date_to"]
        if last < first:
            self.add_error("date_to", _("The range must end on or after its first day."))
        elif (last - first).days + 1 > selectors_manager.MAX_RANGE_DAYS:
            self.add_error(
                "date_to",
                _("Choose at most %(days)s days.") % {"days": selectors_manager.MAX_RANGE_DAYS},
            )
        return cleaned

    @classmethod
    def defaults(cls) -> dict:
        today = clock.today()
        return {
            "day": today,
            "date_from": today - timedelta(days=6),
            "date_to": today,
            "by": "voivodeship",
        }


class FieldErrorsOnly(forms.ModelForm):
    """A model form whose checks of two fields together stand beside a field.

    The model's constraints (an end after its start) would repeat them as a
    general error; the service's full_clean still checks them before saving.
    """

    def _post_clean(self):
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields)
            self.instance.full_clean(
                exclude=self._get_validation_exclusions(),
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            self._update_errors(error)


def _hours_in_order(form, start: str, end: str) -> None:
    first, last = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if first and last and last <= first:
        form.add_error(end, _("The working day must end after it starts."))


class WorkingWeekForm(FieldErrorsOnly):
    """What every salesperson's working week has: the days, and the revision the page showed."""

    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)
    working_weekdays = forms.TypedMultipleChoiceField(
        label=_("working days"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    hours = ("starts_at", "ends_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["revision"].initial = self.instance.revision

    def clean_working_weekdays(self):
        return sorted(set(self.cleaned_data["working_weekdays"]))

    def clean(self):
        cleaned = super().clean()
        _hours_in_order(self, *self.hours)
        return cleaned


class SellerDayForm(WorkingWeekForm):
    """A telephone salesperson's hours, working days, calls a day and minutes a call."""

    class Meta:
        model = SellerDay
        fields = ["starts_at", "ends_at", "working_weekdays", "capacity", "minutes_per_call",
                  "active"]  # fmt: skip
        widgets = {"starts_at": TIME, "ends_at": TIME}


class AbsenceForm(FieldErrorsOnly):
    """Days a salesperson (telephone or field) is away."""

    shown = SHOWN

    class Meta:
        model = Absence
        fields = ["starts_on", "ends_on", "note"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("starts_on"), cleaned.get("ends_on")
        if first and last and last < first:
            self.add_error("ends_on", _("The absence must end on or after its first day."))
        return cleaned


class FieldDayForm(WorkingWeekForm):
    """A field salesperson's home base, hours, working days and whether they are planned."""

    hours = ("day_start", "day_end")

    class Meta:
        model = FieldDay
        fields = ["home_postal_code", "day_start", "day_end", "working_weekdays", "active"]
        widgets = {"day_start": TIME, "day_end": TIME}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_postal_code"].required = True
        self.fields["home_postal_code"].validators = [validate_postal_code]
        self.fields["home_postal_code"].help_text = _(
            "Where the day starts and ends; the route solver needs it (for example 31-042)."
        )
