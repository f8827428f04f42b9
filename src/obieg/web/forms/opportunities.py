"""Forms of the opportunity pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from obieg.core.inputs import DateInput
from obieg.crm.models import Opportunity
from obieg.customfields.forms import CustomFieldsFormMixin

OPPORTUNITY_FIELDS = ["name", "stage", "value", "probability", "expected_close", "lost_reason"]


class OpportunityForm(CustomFieldsFormMixin, forms.ModelForm):
    """A new opportunity; an empty probability takes the stage's default."""

    custom_record_type = "opportunity"

    class Meta:
        model = Opportunity
        fields = OPPORTUNITY_FIELDS
        localized_fields = ["value"]
        widgets = {
            "value": forms.TextInput(attrs={"inputmode": "decimal"}),
            "expected_close": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["probability"].required = False
        self.fields["probability"].help_text = _("Leave empty for the stage's usual value.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("probability") is None:
            # Absent, not None: the service then takes the stage's default.
            cleaned.pop("probability", None)
        return cleaned


class OpportunityEditForm(OpportunityForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["revision"] = self.instance.revision


class OpportunityMoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Opportunity.Stage.choices)


# Keys are those of crm.selectors.pipeline.OPPORTUNITY_ORDERINGS.
SORT_LABELS = {
    "newest": _("Newest"),
    "close": _("Expected close"),
    "value": _("Value"),
    "name": _("Name"),
}
