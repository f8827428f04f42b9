"""The notification settings form: what to hear about in the app, and the digest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from obieg.notifications.models import Preferences

HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]


class PreferencesForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    digest_hour = forms.TypedChoiceField(label=_("hour of the digest"), choices=HOURS, coerce=int)

    class Meta:
        model = Preferences
        fields = [
            "mention",
            "assigned",
            "due_today",
            "overdue",
            "offer_answered",
            "digest",
            "digest_hour",
            "language",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = self.instance.revision
