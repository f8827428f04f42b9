"""The project's own papers: the grant application, the grantor's letters, anything else.

Generated documents (contract, claims, reports) are attached to the project
by their parts; here people add the files that come from outside. Whoever
works on the project may attach (`access.ensure_can_attach`, checked by the
documents service), and the file is judged by its content.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from obieg.documents.models import Document

KINDS = (
    Document.Kind.GRANT_APPLICATION,
    Document.Kind.CORRESPONDENCE,
    Document.Kind.CONTRACT,
    Document.Kind.REPORT,
    Document.Kind.PAYMENT_CLAIM,
)


class ProjectDocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[(kind.value, kind.label) for kind in KINDS])
    file = forms.FileField(label=_("File"))
