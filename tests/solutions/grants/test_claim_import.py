"""Importing a claim's expenses from CSV (Polish Excel exports) and XLSX: all rows or none."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest

from obieg.core.errors import ApplicationError
from obieg.solutions.grants import claim_import, claims
from obieg.solutions.grants.models import EligibleExpense
from tests.solutions.grants.helpers import make_project

pytestmark = pytest.mark.django_db

POLISH_HEADER = (
    "Nr dokumentu;Dostawca;Opis;Kategoria;Data wystawienia;Data zapłaty;"
    "Kwota netto (PLN);Kwota brutto (PLN);Wydatki kwalifikowalne"
)
ROWS = [
    "FV/1/2026;Piekarnicza Sp. z o.o.;Piec tunelowy;środki trwałe;01.02.2026;10.02.2026;"
    "100 000,00;123 000,00;100 000,00",
    "FV/2/2026;Łódzkie Maszyny;Dzielarka;środki trwałe;2026-03-01;2026-03-15;"
    "1.234,56;1.518,51;1234,56",
    "R/3;Żurawie S.A.;Montaż;usługi;15/04/2026;20/04/2026;999,99 zł;1 229,99 zł;999,99",
]


@pytest.fixture
def claim(institution):
    project = make_project(institution, realisation=(date(2026, 1, 1), date(2026, 12, 31)))
    planned = claims.plan_claims(
        actor=institution.coordinator,
        project=project,
        advance_amount=Decimal(0),
        interim_months=6,
        days_to_file=30,
    )
    return planned[0]


def _import(inst, claim, content: bytes, name: str = "wydatki.csv") -> int:
    return claim_import.import_expenses(
        actor=inst.coordinator, claim=claim, content=content, name=name
    )


def _csv(*rows: str, header: str = POLISH_HEADER) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.encode("utf-8"), id="utf-8"),
        pytest.param(lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"), id="utf-8 with BOM"),
        pytest.param(lambda text: text.encode("cp1250"), id="cp1250"),
    ],
)
def test_a_polish_excel_csv_is_imported_in_any_of_its_encodings(institution, claim, encode):
    count = _import(institution, claim, encode(_csv(*ROWS)))

    assert count == 3
    expenses = list(EligibleExpense.objects.filter(claim=claim).order_by("document_number"))
    rows = [
        (e.document_number, e.supplier, e.paid_on, e.net, e.gross, e.eligible) for e in expenses
    ]
    assert rows == [
        ("FV/1/2026", "Piekarnicza Sp. z o.o.", date(2026, 2, 10), Decimal("100000.00"),
         Decimal("123000.00"), Decimal("100000.00")),
        ("FV/2/2026", "Łódzkie Maszyny", date(2026, 3, 15), Decimal("1234.56"),
         Decimal("1518.51"), Decimal("1234.56")),
        ("R/3", "Żurawie S.A.", date(2026, 4, 20), Decimal("999.99"), Decimal("1229.99"),
         Decimal("999.99")),
    ]  # fmt: skip
    assert expenses[0].category == "środki trwałe"
    assert claims.claim_totals(claim).eligible == Decimal("102234.55")


def test_english_headers_in_another_order_with_commas(institution, claim):
    header = "Supplier,Document number,Gross,Net,Eligible amount,Paid on,Issued on,Description"
    content = _csv(
        'ACME Ltd,INV-9,"1,230.00",1000.00,800.00,2026-05-05,2026-05-01,Oven', header=header
    )

    assert _import(institution, claim, content.encode()) == 1

    expense = EligibleExpense.objects.get()
    assert (expense.supplier, expense.gross, expense.eligible, expense.category) == (
        "ACME Ltd",
        Decimal("1230.00"),
        Decimal("800.00"),
        "",
    )


def test_bad_rows_are_named_and_nothing_is_saved(institution, claim):
    rows = [
        ROWS[0],
        "FV/5;Dostawca;Opis;;01.02.2026;31.07.2026;100,00;123,00;100,00",  # after the period
        "FV/6;Dostawca;Opis;;01.02.2026;10.02.2026;-100,00;123,00;100,00",  # negative
        "FV/7;Dostawca;Opis;;01.02.2026;10.02.2026;100,00;123,00;200,00",  # eligible > gross
    ]

    with pytest.raises(ApplicationError) as refused:
        _import(institution, claim, _csv(*rows).encode())

    errors = refused.value.field_errors
    assert set(errors) == {"row 3: paid_on", "row 4: net", "row 5: eligible"}
    assert not EligibleExpense.objects.exists()


def test_unreadable_values_name_their_row_and_column(institution, claim):
    rows = [ROWS[0], "FV/5;Dostawca;Opis;;32.01.2026;10.02.2026;sto;123,00;100,00"]

    with pytest.raises(ApplicationError) as refused:
        _import(institution, claim, _csv(*rows).encode())

    assert set(refused.value.field_errors) == {"row 3: issued_on", "row 3: net"}
    assert not EligibleExpense.objects.exists()


def test_an_import_over_the_awarded_grant_is_refused_whole(institution, claim):
    # Awarded 350 000 at 70 %: 500 001 eligible would ask 350 000.70.
    row = "FV/9;Dostawca;Opis;;01.02.2026;10.02.2026;500 001,00;500 001,00;500 001,00"

    with pytest.raises(ApplicationError) as refused:
        _import(institution, claim, _csv(ROWS[0], row).encode())

    assert "eligible" in refused.value.field_errors
    assert not EligibleExpense.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"Opis;Netto\nPiec;100,00\n", "lacks the columns"),
        (POLISH_HEADER.encode() + b"\n", "no expenses"),
        (POLISH_HEADER.encode() + b'\n"' + b"x" * 200_000 + b'"\n', "not a readable CSV"),
    ],
)
def test_files_that_are_not_expense_lists_are_refused(institution, claim, content, message):
    with pytest.raises(ApplicationError) as refused:
        _import(institution, claim, content)

    assert "file" in refused.value.field_errors
    assert message in refused.value.message


def test_too_many_rows_or_bytes_are_refused(institution, claim, monkeypatch):
    monkeypatch.setattr(claim_import, "MAX_ROWS", 2)
    with pytest.raises(ApplicationError) as rows:
        _import(institution, claim, _csv(*ROWS).encode())
    assert "more than 2" in rows.value.message

    monkeypatch.setattr(claim_import, "MAX_BYTES", 100)
    with pytest.raises(ApplicationError) as size:
        _import(institution, claim, _csv(*ROWS).encode())
    assert "larger than" in size.value.message
    assert not EligibleExpense.objects.exists()


def _xlsx(rows: list[list]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_list_is_imported_with_real_dates_and_numbers(institution, claim):
    content = _xlsx([
        POLISH_HEADER.split(";"),
        ["FV/1", "Dostawca", "Piec", "ST", date(2026, 2, 1), date(2026, 2, 10), 1000, 1230, 999.99],
        ["FV/2", "Dostawca", "Montaż", None, "01.03.2026", "15.03.2026", "100,00", "123,00", "100"],
    ])  # fmt: skip

    assert _import(institution, claim, content, name="wydatki.xlsx") == 2

    assert claims.claim_totals(claim).eligible == Decimal("1099.99")


def test_bad_xlsx_rows_are_named_and_nothing_is_saved(institution, claim):
    content = _xlsx([
        POLISH_HEADER.split(";"),
        ["FV/1", "Dostawca", "Piec", "ST", date(2026, 2, 1), date(2027, 2, 10), 1000, 1230, 1000],
    ])  # fmt: skip

    with pytest.raises(ApplicationError) as refused:
        _import(institution, claim, content, name="wydatki.xlsx")

    assert set(refused.value.field_errors) == {"row 2: paid_on"}
    assert not EligibleExpense.objects.exists()
