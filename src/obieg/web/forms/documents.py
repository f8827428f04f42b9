"""Forms for uploading a document and a new version of one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from obieg.documents import validators
from obieg.documents.models import Document


def _document_file(label) -> forms.FileField:
    return forms.FileField(
        label=label,
        validators=[validators.DOCUMENT],
        widget=forms.ClearableFileInput(attrs={"accept": validators.DOCUMENT.accept}),
    )


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Document.Kind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the file name."),
    )
    file = _document_file(_("File"))
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)


class DocumentVersionForm(forms.Form):
    file = _document_file(_("File"))
    comment = forms.CharField(label=_("What changed"), max_length=300, required=False)


class DocumentFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("all kinds")), *Document.Kind.choices]
    )
    account = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
