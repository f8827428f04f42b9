"""KSeF FA(3) XML of an issued invoice (VAT, ZAL, ROZ), and its validation against the XSD.

Elements are written in the order the schema's sequences give; the
comments name the FA(3) field where the Polish name is not self-evident.
Validation is offline: the schema and its type libraries are copied into
`ksef_schema/` and the imported library's http location is mapped there.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from lxml import etree

from obieg.billing.identifiers import nrb
from obieg.billing.models import Invoice, InvoiceKind
from obieg.core.money import VatRate

NS = "http://crd.gov.pl/wzor/2025/06/25/13775/"
TYPES_NS = "http://crd.gov.pl/xml/schematy/dziedzinowe/mf/2022/01/05/eD/DefinicjeTypy/"
SCHEMA_FILE = "schemat_FA(3)_v1-0E.xsd"
# Net (P_13_x) and VAT (P_14_x) fields of each rate; 0% and exempt carry no VAT field.
RATE_FIELDS = {
    VatRate.R23: ("P_13_1", "P_14_1"),
    VatRate.R8: ("P_13_2", "P_14_2"),
    VatRate.R5: ("P_13_3", "P_14_3"),
    VatRate.R0: ("P_13_6_1", None),
    VatRate.ZW: ("P_13_7", None),
}
# P_12: "0 KR" is 0% within the country (not intra-EU supply or export).
RATE_CODES = {VatRate.R23: "23", VatRate.R8: "8", VatRate.R5: "5", VatRate.R0: "0 KR", "zw": "zw"}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class KsefSchemaError(ValueError):
    """The XML does not satisfy the FA(3) schema (a bug here, or data KSeF refuses)."""


def schema_dir() -> Path:
    return Path(os.environ.get("OBIEG_KSEF_SCHEMA_DIR") or Path(__file__).parent / "ksef_schema")


@lru_cache(maxsize=1)
def schema():
    import xmlschema

    directory = schema_dir()
    return xmlschema.XMLSchema(
        str(directory / SCHEMA_FILE),
        locations=[(TYPES_NS, str(directory / "bazowe" / "StrukturyDanych_v10-0E.xsd"))],
    )


def validate(xml: bytes) -> None:
    errors = list(schema().iter_errors(xml.decode("utf-8")))
    if errors:
        raise KsefSchemaError("; ".join(f"{e.path}: {e.reason}" for e in errors[:5]))


def _text(value: str, limit: int = 256) -> str:
    cleaned = " ".join(_NOT_XML.sub("", value or "").split())
    return cleaned[:limit] or "-"


def _amount(value: Decimal) -> str:
    value = value.quantize(Decimal("0.01"))
    return "0.00" if value == 0 else f"{value:f}"


def _quantity(value: Decimal) -> str:
    return f"{value.normalize():f}" if value != value.to_integral() else f"{int(value)}"


class _Builder:
    def __init__(self, root_name: str):
        self.root = etree.Element(f"{{{NS}}}{root_name}", nsmap={None: NS})

    @staticmethod
    def add(parent, name: str, value=None):
        element = etree.SubElement(parent, f"{{{NS}}}{name}")
        if value is not None:
            element.text = value.isoformat() if isinstance(value, date) else str(value)
        return element


def _address(add, parent, name: str, street: str, postal_code: str, city: str) -> None:
    address = add(parent, name)
    add(address, "KodKraju", "PL")
    line2 = " ".join(part for part in (postal_code, city) if part)
    add(address, "AdresL1", _text(street or line2, 512))
    if street and line2:
        add(address, "AdresL2", _text(line2, 512))


def _header(add, root, invoice: Invoice) -> None:
    header = add(root, "Naglowek")
    code = add(header, "KodFormularza", "FA")
    code.set("kodSystemowy", "FA (3)")
    code.set("wersjaSchemy", "1-0E")
    add(header, "WariantFormularza", "3")
    created = invoice.created_at.astimezone(UTC).replace(microsecond=0)
    add(header, "DataWytworzeniaFa", created.strftime("%Y-%m-%dT%H:%M:%SZ"))
    add(header, "SystemInfo", "Obieg")


def _seller(add, root, invoice: Invoice) -> None:
    seller = add(root, "Podmiot1")
    identity = add(seller, "DaneIdentyfikacyjne")
    add(identity, "NIP", invoice.seller_nip)
    add(identity, "Nazwa", _text(invoice.seller_name, 512))
    _address(
        add, seller, "Adres", invoice.seller_street, invoice.seller_postal_code, invoice.seller_city
    )
    if invoice.seller_email or invoice.seller_phone:
        contact = add(seller, "DaneKontaktowe")
        if invoice.seller_email:
            add(contact, "Email", _text(invoice.seller_email, 255))
        if invoice.seller_phone:
            add(contact, "Telefon", _text(invoice.seller_phone, 16))


def _buyer(add, root, invoice: Invoice) -> None:
    buyer = add(root, "Podmiot2")
    identity = add(buyer, "DaneIdentyfikacyjne")
    if invoice.buyer_nip:
        add(identity, "NIP", invoice.buyer_nip)
    else:
        add(identity, "BrakID", "1")  # a consumer: no tax identifier
    add(identity, "Nazwa", _text(invoice.buyer_name, 512))
    if invoice.buyer_street or invoice.buyer_city:
        _address(
            add, buyer, "Adres", invoice.buyer_street, invoice.buyer_postal_code, invoice.buyer_city
        )
    if invoice.buyer_email:
        add(add(buyer, "DaneKontaktowe"), "Email", _text(invoice.buyer_email, 255))
    add(buyer, "JST", "2")  # not a subordinate unit of local government
    add(buyer, "GV", "2")  # not a member of a VAT group


def _annotations(add, fa, invoice: Invoice, rates: set[str]) -> None:
    notes = add(fa, "Adnotacje")
    add(notes, "P_16", "2")  # no cash accounting
    add(notes, "P_17", "2")  # no self-billing
    add(notes, "P_18", "2")  # no reverse charge
    add(notes, "P_18A", "1" if invoice.split_payment else "2")  # split payment (MPP)
    exemption = add(notes, "Zwolnienie")
    if VatRate.ZW in rates:
        add(exemption, "P_19", "1")
        add(exemption, "P_19A", _text(invoice.exemption_basis))
    else:
        add(exemption, "P_19N", "1")
    add(add(notes, "NoweSrodkiTransportu"), "P_22N", "1")
    add(notes, "P_23", "2")  # no simplified triangular procedure
    add(add(notes, "PMarzy"), "P_PMarzyN", "1")  # no margin scheme


def _sale_lines(add, fa, invoice: Invoice, lines) -> None:
    for line in lines:
        row = add(fa, "FaWiersz")
        add(row, "NrWierszaFa", line.position)
        add(row, "P_7", _text(line.description, 512))
        add(row, "P_8A", _text(line.unit))
        add(row, "P_8B", _quantity(line.quantity))
        add(row, "P_9B" if invoice.prices_gross else "P_9A", _amount(line.unit_price))
        add(row, "P_11A" if invoice.prices_gross else "P_11", _amount(line.value))
        add(row, "P_12", RATE_CODES[line.vat_rate])
        if line.annex_15:
            add(row, "P_12_Zal_15", "1")


def _order(add, fa, invoice: Invoice, lines) -> None:
    order = add(fa, "Zamowienie")
    add(order, "WartoscZamowienia", _amount(invoice.order_gross or Decimal(0)))
    for line in lines:
        row = add(order, "ZamowienieWiersz")
        add(row, "NrWierszaZam", line.position)
        add(row, "P_7Z", _text(line.description, 512))
        add(row, "P_8AZ", _text(line.unit))
        add(row, "P_8BZ", _quantity(line.quantity))
        add(row, "P_9AZ", _amount(line.unit_price))
        add(row, "P_11NettoZ", _amount(line.value))
        add(row, "P_12Z", RATE_CODES[line.vat_rate])
        if line.annex_15:
            add(row, "P_12Z_Zal_15", "1")


def _payment(add, fa, invoice: Invoice) -> None:
    payment = add(fa, "Platnosc")
    if invoice.received_on:
        add(payment, "Zaplacono", "1")
        add(payment, "DataZaplaty", invoice.received_on)
    else:
        add(add(payment, "TerminPlatnosci"), "Termin", invoice.due_date)
    add(payment, "FormaPlatnosci", invoice.payment_method)
    account = add(payment, "RachunekBankowy")
    add(account, "NrRB", nrb(invoice.seller_bank_account))
    if invoice.seller_bank_name:
        add(account, "NazwaBanku", _text(invoice.seller_bank_name))


def _fa(add, root, invoice: Invoice) -> None:
    fa = add(root, "Fa")
    lines = list(invoice.lines.all())
    totals = list(invoice.rate_totals.all())
    add(fa, "KodWaluty", invoice.currency)
    add(fa, "P_1", invoice.issue_date)
    if invoice.place_of_issue:
        add(fa, "P_1M", _text(invoice.place_of_issue))
    add(fa, "P_2", _text(invoice.number))
    event = invoice.received_on if invoice.kind == InvoiceKind.ADVANCE else invoice.sale_date
    if event and event != invoice.issue_date:
        add(fa, "P_6", event)  # sale date, or the date the advance was received
    by_rate = {total.vat_rate: total for total in totals}
    for rate, (net_field, vat_field) in RATE_FIELDS.items():
        if rate in by_rate:
            add(fa, net_field, _amount(by_rate[rate].net))
            if vat_field:
                add(fa, vat_field, _amount(by_rate[rate].vat))
    add(fa, "P_15", _amount(invoice.gross))  # amount due (ZAL: the advance; ROZ: what remains)
    _annotations(add, fa, invoice, set(by_rate) | {line.vat_rate for line in lines})
    add(fa, "RodzajFaktury", invoice.kind)
    if invoice.notes:
        note = add(fa, "DodatkowyOpis")
        add(note, "Klucz", "Uwagi")
        add(note, "Wartosc", _text(invoice.notes))
    for advance in invoice.advances.order_by("issue_date", "id"):
        reference = add(fa, "FakturaZaliczkowa")
        if advance.ksef_number:
            add(reference, "NrKSeFFaZaliczkowej", advance.ksef_number)
        else:
            add(reference, "NrKSeFZN", "1")  # issued outside KSeF
            add(reference, "NrFaZaliczkowej", _text(advance.number))
    if invoice.kind != InvoiceKind.ADVANCE:
        _sale_lines(add, fa, invoice, lines)
    _payment(add, fa, invoice)
    contract = invoice.contract
    if contract is not None:
        terms = add(add(fa, "WarunkiTransakcji"), "Umowy")
        if contract.signed_on:
            add(terms, "DataUmowy", contract.signed_on)
        add(terms, "NrUmowy", _text(contract.number))
    if invoice.kind == InvoiceKind.ADVANCE:
        _order(add, fa, invoice, lines)


def _footer(add, root, invoice: Invoice) -> None:
    krs = invoice.seller_krs if re.fullmatch(r"\d{10}", invoice.seller_krs or "") else ""
    regon = (
        invoice.seller_regon if re.fullmatch(r"\d{9}|\d{14}", invoice.seller_regon or "") else ""
    )
    if krs or regon:
        registers = add(add(root, "Stopka"), "Rejestry")
        if krs:
            add(registers, "KRS", krs)
        if regon:
            add(registers, "REGON", regon)


def invoice_xml(invoice: Invoice) -> bytes:
    """The invoice as FA(3) XML (UTF-8), ready to send to KSeF."""
    builder = _Builder("Faktura")
    add = builder.add
    _header(add, builder.root, invoice)
    _seller(add, builder.root, invoice)
    _buyer(add, builder.root, invoice)
    _fa(add, builder.root, invoice)
    _footer(add, builder.root, invoice)
    return etree.tostring(builder.root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
