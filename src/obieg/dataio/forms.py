"""Forms of the import pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from obieg.dataio.reading import ENCODINGS
from obieg.dataio.types import record_type_choices

ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(forms.Form):
    record_type = forms.ChoiceField(label=_("The file holds"), choices=record_type_choices)
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    encoding = forms.ChoiceField(
        label=_("Encoding of a CSV file"),
        choices=[
            ("utf-8", _("UTF-8 (CSV UTF-8, LibreOffice, Google Sheets)")),
            ("cp1250", _("Windows-1250 (“CSV” saved by Excel in Polish)")),
        ],
        initial="utf-8",
        help_text=_("An XLSX file, or a CSV with a byte-order mark, needs no choice here."),
    )

    def clean_encoding(self) -> str:
        return (
            self.cleaned_data["encoding"] if self.cleaned_data["encoding"] in ENCODINGS else "utf-8"
        )


class ImportRunForm(forms.Form):
    skip_invalid = forms.BooleanField(
        label=_("Skip the rows with errors and import the rest"), required=False
    )
