"""The customer's answer to an offer on its public page: accept (name and consent) or reject."""

from django import forms
from django.utils.translation import gettext_lazy as _

from obieg.sales.offer_acceptance import MAX_REASON


class OfferAcceptForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    consent = forms.BooleanField(
        label=_("I accept this offer on behalf of the customer named in it"), required=True
    )


class OfferRejectForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    reason = forms.CharField(
        label=_("Why do you reject the offer?"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
