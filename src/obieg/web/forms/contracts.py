"""Forms of the contract pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from obieg.core.inputs import DateInput
from obieg.sales.models import Contract

DATE = DateInput()
MONEY = forms.TextInput(attrs={"inputmode": "decimal"})
CONTRACT_WIDGETS = {
    "value_net": MONEY,
    "value_gross": MONEY,
    "signed_on": DATE,
    "starts_on": DATE,
    "ends_on": DATE,
}


class ContractForm(forms.ModelForm):
    """A new contract; with an offer chosen, title and values come from the offer."""

    class Meta:
        model = Contract
        fields = ["offer", "title", "value_net", "value_gross", "signed_on", "starts_on", "ends_on"]
        localized_fields = ["value_net", "value_gross"]
        widgets = CONTRACT_WIDGETS

    def __init__(self, *args, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers
        self.fields["title"].required = False
        for name in ("value_net", "value_gross"):
            self.fields[name].required = False
            self.fields[name].help_text = _("Taken from the offer when one is chosen.")

    def clean(self):
        cleaned = super().clean()
        offer = cleaned.get("offer")
        if offer:
            # The contract carries what the customer was offered, not a retyped figure.
            cleaned["value_net"], cleaned["value_gross"] = offer.total_net, offer.total_gross
            cleaned["title"] = cleaned.get("title") or offer.title
        elif not self.has_error("offer"):
            for name in ("title", "value_net", "value_gross"):
                if cleaned.get(name) in (None, ""):
                    self.add_error(name, _("Fill this in or choose an offer."))
        for name in ("value_net", "value_gross"):
            if cleaned.get(name) is None:
                # Contract.clean compares the two amounts; a missing one keeps the default.
                cleaned.pop(name, None)
        return cleaned


class ContractEditForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Contract
        fields = [
            "title",
            "status",
            "value_net",
            "value_gross",
            "signed_on",
            "starts_on",
            "ends_on",
        ]
        localized_fields = ["value_net", "value_gross"]
        widgets = CONTRACT_WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["revision"] = self.instance.revision


# Keys are those of sales.selectors.CONTRACT_ORDERINGS.
SORT_LABELS = {
    "newest": _("Newest"),
    "number": _("Number"),
    "value": _("Value"),
}
