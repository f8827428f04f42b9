"""Forms of the lead pages; they parse input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from obieg.core.numbers import DecimalInputField
from obieg.crm.models import Account, Lead
from obieg.customfields.forms import CustomFieldsFormMixin

LEAD_FIELDS = [
    "source",
    "company_name",
    "contact_name",
    "email",
    "phone",
    "nip",
    "postal_code",
    "city",
    "description",
]


class LeadForm(CustomFieldsFormMixin, forms.ModelForm):
    """A new lead; the model requires an e-mail address or a phone number."""

    custom_record_type = "lead"

    class Meta:
        model = Lead
        fields = LEAD_FIELDS
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "nip": forms.TextInput(attrs={"inputmode": "numeric"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class LeadEditForm(LeadForm):
    """An existing lead; `revision` tells the service whether someone saved in between."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    class Meta(LeadForm.Meta):
        fields = [*LEAD_FIELDS, "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Conversion has its own page: it creates the account and opportunity.
        self.fields["status"].choices = [
            choice for choice in Lead.Status.choices if choice[0] != Lead.Status.CONVERTED
        ]
        if not self.is_bound:
            self.initial["revision"] = self.instance.revision


class LeadConvertForm(forms.Form):
    """Convert into a new account, or attach to an existing visible one."""

    account = forms.ModelChoiceField(
        queryset=Account.objects.none(),
        required=False,
        label=_("Attach to an existing account"),
        empty_label=_("Create a new account"),
    )
    opportunity_name = forms.CharField(label=_("Opportunity name"), max_length=200, required=False)
    value = DecimalInputField(
        label=_("Value (net PLN)"), min_value=0, max_digits=14, decimal_places=2, required=False
    )

    def __init__(self, *args, visible_accounts, **kwargs):
        super().__init__(*args, **kwargs)
        # Validation looks the chosen pk up in this queryset only; the page
        # lists a few likely matches instead of rendering every account.
        self.fields["account"].queryset = visible_accounts


# Keys are those of crm.selectors.pipeline.LEAD_ORDERINGS.
SORT_LABELS = {
    "newest": _("Newest"),
    "oldest": _("Oldest"),
    "company": _("Company"),
}
