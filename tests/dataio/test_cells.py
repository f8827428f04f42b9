"""Cells as Polish spreadsheets write them, and what a spreadsheet would run as a formula."""

import pytest

from obieg.dataio import cells
from obieg.dataio.export import csv_safe


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x")', "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3+cmd|x", "\t=1", "=1"],
)
def test_formulas_are_recognised(text):
    assert cells.looks_like_formula(text)


@pytest.mark.parametrize("text", ["+48 600 100 200", "-150,50", "+48 (22) 123-45-67", "Firma", ""])
def test_phone_numbers_and_signed_amounts_are_not_formulas(text):
    assert not cells.looks_like_formula(text)


def test_export_prefixes_formulas_and_the_import_reads_them_back_as_text():
    assert csv_safe("=SUM(A1)") == "'=SUM(A1)"
    assert csv_safe("+48 600 100 200") == "+48 600 100 200"
    assert cells.unquote_text(csv_safe("=SUM(A1)")) == "=SUM(A1)"
    assert cells.unquote_text("'quoted") == "'quoted"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("150 000,50", "150000.50"),
        ("150\u00a0000,50 zł", "150000.50"),
        ("1200.5", "1200.5"),
        ("dużo", "dużo"),
    ],
)
def test_polish_amounts_become_plain_decimals(text, expected):
    assert cells.decimal_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31.12.2026", "2026-12-31"),
        ("1.2.2027", "2027-02-01"),
        ("2026-12-31", "2026-12-31"),
        ("31.02.2026", "31.02.2026"),
    ],
)
def test_polish_dates_become_iso_dates(text, expected):
    assert cells.date_text(text) == expected


def test_headers_compare_without_case_accents_and_punctuation():
    assert cells.header_key("E-mail") == cells.header_key("email")
    assert cells.header_key("Miejscowość") == "miejscowosc"
    assert cells.header_key("Województwo") == cells.header_key("wojewodztwo")
    assert cells.header_key("Właściciel") == "wlasciciel"


def test_yes_and_no_in_both_languages():
    assert cells.boolean_value("Tak") is True
    assert cells.boolean_value("yes") is True
    assert cells.boolean_value("nie") is False
    assert cells.boolean_value("maybe") is None


def test_identifiers_stored_as_numbers_get_their_leading_zeros_back():
    assert cells.padded_digits("2270803628", 11) == "02270803628"
    assert cells.padded_digits("02270803628", 11) == "02270803628"
    assert cells.padded_digits("abc", 11) == "abc"


def test_spreadsheet_values_as_text():
    from datetime import date, datetime
    from decimal import Decimal

    assert cells.cell_text(150000.5) == "150000.5"
    assert cells.cell_text(5260001246) == "5260001246"
    assert cells.cell_text(12.0) == "12"
    assert cells.cell_text(Decimal("1.50")) == "1.5"
    assert cells.cell_text(datetime(2026, 12, 31)) == "2026-12-31"
    assert cells.cell_text(date(2026, 12, 31)) == "2026-12-31"
    assert cells.cell_text(None) == ""
