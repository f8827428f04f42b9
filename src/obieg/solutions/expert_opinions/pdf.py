"""The offer for an expert opinion as a PDF (WeasyPrint), in the client's language.

It goes to the client, often a court or a law firm: the document speaks the
client's language (Polish unless the account or contact says otherwise),
whatever the interface language of the person who approved it.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from obieg.sales.models import Offer
from obieg.solutions.expert_opinions.models import Inquiry
from obieg.solutions.expert_opinions.selectors import client_language

VAT_LABELS = {"23": "23%", "8": "8%", "5": "5%", "0": "0%", "zw": "zw."}


def offer_html(inquiry: Inquiry, offer: Offer, *, answer_url: str = "") -> str:
    lines = list(offer.lines.all())
    context = {
        "inquiry": inquiry,
        "offer": offer,
        "lines": lines,
        "totals": offer.totals(),
        "vat_labels": VAT_LABELS,
        "experts": list(inquiry.assignments.select_related("expert")),
        "answer_url": answer_url,
    }
    with translation.override(client_language(inquiry)):
        return render_to_string("expert_opinions/offer_pdf.html", context)


def offer_pdf(inquiry: Inquiry, offer: Offer, *, answer_url: str = "") -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is drawn

    return HTML(string=offer_html(inquiry, offer, answer_url=answer_url)).write_pdf()
