"""The contact person form."""

from django import forms

from obieg.crm.models import ContactPerson
from obieg.customfields.forms import CustomFieldsFormMixin


class ContactForm(CustomFieldsFormMixin, forms.ModelForm):
    custom_record_type = "contact"
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ContactPerson
        fields = ["first_name", "last_name", "position", "email", "phone", "is_primary", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["revision"].initial = self.instance.revision
