"""FA(3) XML of every invoice kind validates against the official schema, offline."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from lxml import etree

from obieg.billing import advances, invoicing, ksef
from obieg.billing.models import InvoiceKind

NS = {"fa": ksef.NS}


def xpath(xml: bytes, path: str) -> list[str]:
    return [str(v) for v in etree.fromstring(xml).xpath(path, namespaces=NS)]


@pytest.fixture
def issued(org, profile, contract):
    """A ZAL (received), a second ZAL (due) and the ROZ of one contract."""
    first = advances.advance_invoice_issue(
        actor=org.accountant,
        contract=contract,
        percent=Decimal(30),
        received_on=date.today() - timedelta(days=1),
    )
    second = advances.advance_invoice_issue(
        actor=org.accountant, contract=contract, amount=Decimal("10000.00")
    )
    final = advances.final_invoice_issue(actor=org.accountant, contract=contract)
    return first, second, final


def test_vat_invoice_validates(org, profile, buyer):
    invoice = invoicing.invoice_issue(
        actor=org.accountant,
        buyer=buyer,
        lines=[
            {
                "description": "Audyt energetyczny",
                "quantity": "1",
                "unit_price": "1500",
                "vat_rate": "23",
            },
            {
                "description": "Szkolenie „BHP” & <obsługa>",
                "quantity": "2.5",
                "unit_price": "100.10",
                "vat_rate": "8",
            },
            {
                "description": "Usługa zwolniona",
                "quantity": "1",
                "unit_price": "99.99",
                "vat_rate": "zw",
            },
            {"description": "Eksport usługi", "quantity": "3", "unit_price": "10", "vat_rate": "0"},
        ],
    )
    xml = ksef.invoice_xml(invoice)

    ksef.validate(xml)
    assert xpath(xml, "//fa:RodzajFaktury/text()") == ["VAT"]
    assert xpath(xml, "//fa:P_2/text()") == [invoice.number]
    assert xpath(xml, "//fa:P_13_1/text()") == ["1500.00"]
    assert xpath(xml, "//fa:P_14_1/text()") == ["345.00"]
    assert xpath(xml, "//fa:P_13_7/text()") == ["99.99"]
    assert xpath(xml, "//fa:P_19A/text()") == ["art. 43 ust. 1 pkt 37 ustawy o VAT"]
    assert xpath(xml, "//fa:P_12/text()") == ["23", "8", "zw", "0 KR"]
    assert xpath(xml, "//fa:P_15/text()") == [f"{invoice.gross:.2f}"]
    assert xpath(xml, "//fa:Podmiot2/fa:DaneIdentyfikacyjne/fa:NIP/text()") == [buyer.nip]


def test_vat_invoice_to_a_private_person_has_no_tax_id(org, profile, person):
    invoice = invoicing.invoice_issue(
        actor=org.accountant,
        buyer=person,
        lines=[
            {
                "description": "Przegląd instalacji",
                "quantity": "1",
                "unit_price": "300",
                "vat_rate": "8",
            }
        ],
    )
    xml = ksef.invoice_xml(invoice)

    ksef.validate(xml)
    assert xpath(xml, "//fa:Podmiot2/fa:DaneIdentyfikacyjne/fa:BrakID/text()") == ["1"]


def test_advance_invoices_validate_with_the_order(issued, contract):
    first, second, _final = issued
    for invoice in (first, second):
        xml = ksef.invoice_xml(invoice)
        ksef.validate(xml)
        assert xpath(xml, "//fa:RodzajFaktury/text()") == ["ZAL"]
        assert xpath(xml, "//fa:Zamowienie/fa:WartoscZamowienia/text()") == ["60000.00"]
        assert len(xpath(xml, "//fa:ZamowienieWiersz")) == 3
        assert not xpath(xml, "//fa:FaWiersz")
    first_xml = ksef.invoice_xml(first)
    assert xpath(first_xml, "//fa:P_15/text()") == ["18000.00"]
    assert xpath(first_xml, "//fa:Zaplacono/text()") == ["1"]
    assert xpath(first_xml, "//fa:NrUmowy/text()") == [contract.number]


def test_final_invoice_validates_and_names_every_advance(issued):
    first, second, final = issued
    xml = ksef.invoice_xml(final)

    ksef.validate(xml)
    assert final.kind == InvoiceKind.FINAL
    assert xpath(xml, "//fa:RodzajFaktury/text()") == ["ROZ"]
    assert xpath(xml, "//fa:FakturaZaliczkowa/fa:NrFaZaliczkowej/text()") == [
        first.number,
        second.number,
    ]
    assert xpath(xml, "//fa:P_15/text()") == [f"{final.gross:.2f}"]
    assert final.gross == Decimal("60000.00") - first.gross - second.gross
    assert len(xpath(xml, "//fa:FaWiersz")) == 3


def test_a_broken_document_is_refused_by_the_schema(org, profile, buyer):
    invoice = invoicing.invoice_issue(
        actor=org.accountant,
        buyer=buyer,
        lines=[{"description": "Usługa", "quantity": "1", "unit_price": "100", "vat_rate": "23"}],
    )
    root = etree.fromstring(ksef.invoice_xml(invoice))
    root.find("fa:Fa/fa:P_2", NS).getparent().remove(root.find("fa:Fa/fa:P_2", NS))

    with pytest.raises(ksef.KsefSchemaError, match="P_2|Unexpected"):
        ksef.validate(etree.tostring(root))


def test_instalment_invoice_with_gross_prices_validates(org, profile, contract):
    invoice = advances.instalment_invoice_issue(
        actor=org.accountant, contract=contract, amount=Decimal("12345.67"), description="rata 1"
    )
    xml = ksef.invoice_xml(invoice)

    ksef.validate(xml)
    assert xpath(xml, "//fa:RodzajFaktury/text()") == ["VAT"]
    assert xpath(xml, "//fa:FaWiersz/fa:P_11A/text()") == [
        f"{line.value:.2f}" for line in invoice.lines.all()
    ]
    assert not xpath(xml, "//fa:FaWiersz/fa:P_11")
    assert xpath(xml, "//fa:P_15/text()") == ["12345.67"]


def test_every_text_field_is_cleaned_for_the_schema(org, profile, buyer):
    buyer.name = "Firma \x07 z\tdziwnymi   znakami " + "x" * 160
    buyer.save()
    invoice = invoicing.invoice_issue(
        actor=org.accountant,
        buyer=buyer,
        lines=[
            {
                "description": "Opis\x0b z pionowym tabulatorem",
                "quantity": "2.125",
                "unit_price": "1.01",
                "vat_rate": "5",
            }
        ],
        notes="Uwaga: " + "y" * 400,
    )

    ksef.validate(ksef.invoice_xml(invoice))
