"""Sending an offer to the customer: to which of their addresses, and with what message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from obieg.sales.offer_sending import Recipient


class OfferSendForm(forms.Form):
    to = forms.ChoiceField(label=_("Send to"))
    message = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("The link to accept or reject the offer and your signature follow it."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, recipients: list[Recipient], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(r.email, r.label) for r in recipients]
