"""Forms of the calendar pages: events, crews' CalDAV connection, availability queries."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from obieg.core.inputs import DateInput, DateTimeLocalInput
from obieg.scheduling.models import CalendarEvent, Crew, Skill, colour_validator

WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


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
    all_day = forms.BooleanField(
        label=_("All day"), required=False, help_text=_("Whole days: the hours are left out.")
    )
    repeat = forms.ChoiceField(
        label=_("Repeats"),
        required=False,
        choices=[
            ("", _("does not repeat")),
            ("daily", _("every day")),
            ("weekly", _("every week")),
            ("biweekly", _("every two weeks")),
            ("monthly", _("every month")),
        ],
    )
    repeat_until = forms.DateField(
        label=_("Repeats until"),
        required=False,
        widget=DateInput(),
        help_text=_("The last day (empty: no end)."),
    )
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, crews, custom_rule: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crew"].queryset = crews
        # A rule made elsewhere (the API, a calendar app) is kept unless another is chosen.
        self.custom_rule = custom_rule
        if custom_rule:
            self.fields["repeat"].choices = [
                *self.fields["repeat"].choices,
                ("custom", _("as set elsewhere: %(rule)s") % {"rule": custom_rule}),
            ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if cleaned.get("all_day") and start and end:
            zone = timezone.get_current_timezone()
            first = timezone.localtime(start, zone).date()
            last = timezone.localtime(end, zone)
            # The end day counts: an all-day job "1–3 December" ends at midnight on the 4th.
            end_day = (
                last.date()
                if last.time() == time.min and last.date() > first
                else (last.date() + timedelta(days=1))
            )
            cleaned["start"] = datetime.combine(first, time.min, tzinfo=zone)
            cleaned["end"] = datetime.combine(end_day, time.min, tzinfo=zone)
        if cleaned.get("repeat_until") and not cleaned.get("repeat"):
            self.add_error("repeat_until", _("Choose how the event repeats."))
        elif (
            cleaned.get("repeat_until")
            and start
            and cleaned["repeat_until"] < (timezone.localtime(start).date())
        ):
            self.add_error("repeat_until", _("The last day is before the start."))
        return cleaned

    def event_data(self) -> dict:
        """The service's arguments: the form's choice of repetition as an RRULE."""
        from obieg.scheduling import recurrence

        data = dict(self.cleaned_data)
        data.pop("revision", None)
        repeat = data.pop("repeat", "")
        until = data.pop("repeat_until", None)
        if repeat == "custom":
            data["rrule"] = self.custom_rule
        else:
            data["rrule"] = recurrence.build(repeat, until=until, all_day=data["all_day"])
        return data


class ColourInput(forms.TextInput):
    input_type = "color"


class CrewForm(forms.Form):
    """A crew as planners enter it on its page: who is in it, what it can do, when it works."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Crew.Kind.choices)
    company = forms.CharField(
        label=_("Company"),
        max_length=200,
        required=False,
        help_text=_("A subcontractor's company, as on its invoices."),
    )
    members = forms.ModelMultipleChoiceField(
        get_user_model().objects.none(),
        label=_("Members"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("They see the crew's work and its feed."),
    )
    skills = forms.ModelMultipleChoiceField(
        Skill.objects.all(),
        label=_("Skills"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    working_weekdays = forms.TypedMultipleChoiceField(
        label=_("Working days"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one working day.")},
    )
    colour = forms.CharField(
        label=_("Colour"), max_length=7, validators=[colour_validator], widget=ColourInput()
    )
    active = forms.BooleanField(
        label=_("Active"), required=False, help_text=_("Only active crews are planned.")
    )
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True)
        self.fields["members"].queryset = users.order_by("last_name", "first_name", "username")
        self.fields["members"].label_from_instance = lambda user: (
            user.get_full_name() or user.get_username()
        )

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_working_weekdays(self):
        return sorted(set(self.cleaned_data["working_weekdays"]))

    def crew_data(self) -> dict:
        fields = ("name", "kind", "company", "working_weekdays", "colour", "active")
        return {name: self.cleaned_data[name] for name in fields}


class SkillForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=50,
        help_text=_("Short, without spaces: roof, electrical. It cannot be changed later."),
    )
    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, *args, renaming: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if renaming:
            del self.fields["code"]


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


class GoogleCalendarForm(forms.Form):
    """Which of the person's Google calendars Obieg keeps in step."""

    calendar = forms.ChoiceField(label=_("Google calendar"), widget=forms.RadioSelect)

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["calendar"].choices = choices


class GoogleClientForm(forms.Form):
    """The OAuth client from the Google Cloud console."""

    client_id = forms.CharField(
        label=_("Client ID"),
        max_length=300,
        required=False,
        help_text=_("Ends in .apps.googleusercontent.com. Leave empty to turn Google off."),
    )
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        max_length=300,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted. Leave empty to keep the stored secret."),
    )

    def __init__(self, *args, has_secret: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_secret = has_secret

    def clean_client_id(self):
        value = self.cleaned_data["client_id"].strip()
        if value and (" " in value or not value.isascii()):
            raise forms.ValidationError(_("A client ID has no spaces; copy it from the console."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("client_id") and not cleaned.get("client_secret") and not self.has_secret:
            self.add_error("client_secret", _("Enter the client secret that goes with the ID."))
        return cleaned
