"""Forms of the calendar pages: events, crews' CalDAV connection, availability queries."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from obieg.scheduling.models import CalendarEvent, Crew, Skill

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL_INPUT, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EventForm(forms.Form):
    """A crew event as a planner enters it (personal events come through the API)."""

    crew = forms.ModelChoiceField(Crew.objects.none(), label=_("Crew"))
    title = forms.CharField(label=_("Title"), max_length=200)
    start = forms.DateTimeField(label=_("Start"), widget=DateTimeLocalInput())
    end = forms.DateTimeField(label=_("End"), widget=DateTimeLocalInput())
    location = forms.CharField(label=_("Location"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    status = forms.ChoiceField(label=_("Status"), choices=CalendarEvent.Status.choices)
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, crews, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crew"].queryset = crews


class CalDAVForm(forms.Form):
    url = forms.URLField(
        label=_("Calendar URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "The address of one CalDAV calendar (collection), e.g. from Nextcloud or Google."
        ),
    )
    username = forms.CharField(label=_("User name"), max_length=200, required=False)
    password = forms.CharField(
        label=_("Password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted. Leave empty to keep the stored password."),
    )


class AvailabilityForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())
    skill = forms.ModelChoiceField(
        Skill.objects.all(), label=_("Skill"), required=False, to_field_name="code"
    )

    @classmethod
    def this_week(cls) -> dict:
        today = timezone.localdate()
        monday = today - timedelta(days=today.weekday())
        return {"start": monday, "end": monday + timedelta(days=6)}
