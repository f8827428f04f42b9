"""The activity form: a meeting, call, note or e-mail of one account."""

from django import forms

from obieg.core.inputs import DateTimeLocalInput
from obieg.crm.models import Activity

# The browser's own date-and-time picker; Django parses its ISO value.
DATETIME_LOCAL = DateTimeLocalInput()


class ActivityForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Activity
        fields = [
            "kind",
            "status",
            "subject",
            "occurs_at",
            "duration_minutes",
            "contact",
            "opportunity",
            "outcome",
            "body",
        ]
        widgets = {"occurs_at": DATETIME_LOCAL, "body": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, contacts, opportunities, **kwargs):
        """`contacts` and `opportunities`: the account's records the user may pick."""
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts
        self.fields["opportunity"].queryset = opportunities
        if self.instance.pk:
            self.fields["revision"].initial = self.instance.revision
