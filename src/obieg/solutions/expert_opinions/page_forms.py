"""Forms of the solution's own pages (not of process tasks): inquiry, expert, upload, answer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from obieg.core.inputs import DateInput
from obieg.core.models import Department, Specialisation
from obieg.documents import validators
from obieg.solutions.expert_opinions.models import Expert
from obieg.solutions.expert_opinions.selectors import expert_departments

DATE = DateInput()


class InquiryFromMeetingForm(forms.Form):
    subject = forms.CharField(label=_("Subject of the opinion"), max_length=200)
    specialisation = forms.ModelChoiceField(
        queryset=Specialisation.objects.filter(departments__in=expert_departments()).distinct(),
        label=_("Kind of opinion"),
        required=False,
        help_text=_("Helps the secretariat pick the department."),
    )
    description = forms.CharField(
        label=_("What the client needs"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    court = forms.CharField(label=_("Court"), required=False, max_length=200)
    case_reference = forms.CharField(
        label=_("Case reference (sygnatura akt)"), required=False, max_length=60
    )
    requested_deadline = forms.DateField(label=_("Requested deadline"), required=False, widget=DATE)


class ExpertForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Expert
        fields = [
            "title",
            "name",
            "email",
            "phone",
            "departments",
            "specialisations",
            "hourly_rate",
            "available_from",
            "active",
            "notes",
        ]
        widgets = {
            "departments": forms.CheckboxSelectMultiple,
            "specialisations": forms.CheckboxSelectMultiple,
            "available_from": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = expert_departments()
        self.fields["specialisations"].queryset = Specialisation.objects.filter(
            departments__in=Department.objects.all()
        ).distinct()
        if self.instance.pk:
            self.fields["revision"].initial = self.instance.revision


class OpinionUploadForm(forms.Form):
    file = forms.FileField(
        label=_("The opinion (PDF or DOCX)"),
        validators=[validators.OPINION],
        widget=forms.ClearableFileInput(attrs={"accept": validators.OPINION.accept}),
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=300)


class ClientAnswerLinkForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("accepted", _("I accept the offer")), ("rejected", _("I decline the offer"))],
        widget=forms.RadioSelect,
        label=_("Your answer"),
    )
    note = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
