"""The invoice as a PDF (WeasyPrint), laid out the way Polish accountants expect.

The document is always in Polish, whatever the user's interface language:
it is a Polish tax document, and its labels are the statutory ones
(Sprzedawca, Nabywca, Do zapłaty, słownie …).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from obieg.billing.identifiers import format_iban
from obieg.billing.models import Invoice, InvoiceKind
from obieg.billing.selectors import invoice_summary
from obieg.core.identifiers import format_nip

TITLES: dict[str, str] = {
    InvoiceKind.VAT: "Faktura VAT",
    InvoiceKind.ADVANCE: "Faktura zaliczkowa",
    InvoiceKind.FINAL: "Faktura rozliczeniowa",
}
RATE_LABELS = {"23": "23%", "8": "8%", "5": "5%", "0": "0%", "zw": "zw"}
METHODS = {
    "1": "gotówka",
    "2": "karta płatnicza",
    "3": "bon",
    "4": "czek",
    "5": "kredyt",
    "6": "przelew",
    "7": "płatność mobilna",
}


def invoice_html(invoice: Invoice) -> str:
    context = {
        "invoice": invoice,
        "title": TITLES[invoice.kind],
        "lines": list(invoice.lines.all()),
        "summary": invoice_summary(invoice),
        "rate_labels": RATE_LABELS,
        "method": METHODS.get(invoice.payment_method, ""),
        "seller_nip": format_nip(invoice.seller_nip),
        "buyer_nip": format_nip(invoice.buyer_nip),
        "bank_account": format_iban(invoice.seller_bank_account),
        "payments": list(invoice.payments.all()),
    }
    with translation.override("pl"):
        return render_to_string("billing/invoice_pdf.html", context)


def invoice_pdf(invoice: Invoice) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is drawn

    return HTML(string=invoice_html(invoice)).write_pdf()
