"""The invoice PDF: drawn by WeasyPrint with Polish glyphs, and its text reads back."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from decimal import Decimal

from obieg.billing import advances, invoicing, words
from obieg.billing.pdf import invoice_pdf


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    # Non-breaking spaces (thousands) read back as plain ones for simple matching.
    return " ".join(result.stdout.decode("utf-8").replace("\u00a0", " ").split())


def test_vat_invoice_pdf_shows_number_nips_totals_and_words(org, profile, buyer):
    invoice = invoicing.invoice_issue(
        actor=org.accountant,
        buyer=buyer,
        lines=[
            {
                "description": "Przegląd źródła ciepła — pompa",
                "quantity": "2",
                "unit_price": "1234.56",
                "vat_rate": "23",
            },
            {"description": "Szkolenie", "quantity": "1", "unit_price": "100", "vat_rate": "zw"},
        ],
    )

    pdf = invoice_pdf(invoice)
    text = pdf_text(pdf)

    assert pdf.startswith(b"%PDF")
    assert "Faktura VAT" in text and invoice.number in text
    assert "Sprzedawca".upper() in text.upper() and "Nabywca".upper() in text.upper()
    assert "NIP: 526-025-02-74" in text
    assert f"NIP: {buyer.nip[:3]}-{buyer.nip[3:6]}-{buyer.nip[6:8]}-{buyer.nip[8:]}" in text
    assert "Przegląd źródła ciepła — pompa" in text  # Polish glyphs survive
    assert "3 137,02 zł" in text  # 2 469,12 + 567,90 VAT + 100 zw
    assert words.amount_in_words(Decimal("3137.02")) in text
    assert "trzy tysiące sto trzydzieści siedem złotych, dwa grosze" in text
    assert "PL61 1090 1014 0000 0712 1981 2874" in text
    assert "Termin płatności" in text and "przelew" in text
    assert "Podstawa zwolnienia z VAT: art. 43 ust. 1 pkt 37" in text
    assert "mechanizm podzielonej płatności".upper() not in text.upper()


def test_advance_and_final_pdfs_show_the_order_and_the_settlement(org, profile, contract):
    advance = advances.advance_invoice_issue(
        actor=org.accountant,
        contract=contract,
        percent=Decimal(30),
        annex_15=True,
        received_on=date.today() - timedelta(days=1),
    )
    final = advances.final_invoice_issue(actor=org.accountant, contract=contract, annex_15=True)

    advance_text = pdf_text(invoice_pdf(advance))
    final_text = pdf_text(invoice_pdf(final))

    assert "Faktura zaliczkowa" in advance_text and advance.number in advance_text
    assert "Wartość zamówienia" in advance_text and "60 000,00" in advance_text
    assert "Otrzymana zaliczka: 18 000,00 zł" in advance_text
    assert "osiemnaście tysięcy złotych, zero groszy" in advance_text
    assert "MECHANIZM PODZIELONEJ PŁATNOŚCI" in advance_text.upper()
    assert "Faktura rozliczeniowa" in final_text and final.number in final_text
    assert f"Faktura zaliczkowa {advance.number}" in final_text
    assert "Do zapłaty: 42 000,00 zł" in final_text
    assert "czterdzieści dwa tysiące złotych, zero groszy" in final_text


def test_words_for_amounts():
    assert words.amount_in_words(Decimal("1234.56")) == (
        "tysiąc dwieście trzydzieści cztery złote, pięćdziesiąt sześć groszy"
    )
    assert words.amount_in_words(Decimal("0.01")) == "zero złotych, jeden grosz"
    assert words.amount_in_words(Decimal("2.02")) == "dwa złote, dwa grosze"
    assert words.amount_in_words(Decimal("0.29")) == "zero złotych, dwadzieścia dziewięć groszy"
