"""Reading uploaded files: every bad file is refused with a message, never an exception."""

import io
import zipfile

import pytest

from obieg.dataio import reading
from obieg.dataio.reading import FileRejected, read_sheet
from tests.dataio.files import xlsx_bytes


def read(raw: bytes, encoding="utf-8"):
    return read_sheet(io.BytesIO(raw), size=len(raw), encoding=encoding)


def test_a_semicolon_csv_from_polish_excel_is_split_on_semicolons():
    sheet = read("Nazwa;NIP\r\nŁódzka Sp. z o.o.;526-000-12-46\r\n".encode())
    assert sheet.headers == ["Nazwa", "NIP"]
    assert sheet.rows == [(2, ["Łódzka Sp. z o.o.", "526-000-12-46"])]


def test_a_comma_csv_with_a_bom_is_read_as_utf8_whatever_was_chosen():
    sheet = read("\ufeffName,City\nŻółw,Łódź\n".encode(), encoding="cp1250")
    assert sheet.rows == [(2, ["Żółw", "Łódź"])]


def test_a_windows_1250_csv_is_read_when_that_encoding_is_chosen():
    sheet = read("Nazwa;Miasto\nŻółw;Łódź\n".encode("cp1250"), encoding="cp1250")
    assert sheet.rows == [(2, ["Żółw", "Łódź"])]


def test_a_windows_1250_csv_read_as_utf8_is_refused_with_advice():
    with pytest.raises(FileRejected, match="Windows-1250"):
        read("Nazwa;Miasto\nŻółw;Łódź\n".encode("cp1250"))


def test_empty_rows_are_skipped_and_line_numbers_kept():
    sheet = read(b"Name;City\nA;X\n\n;\nB;Y\n")
    assert [line for line, _cells in sheet.rows] == [2, 5]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"Name\n", "no data rows"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, r"\.xls"),
        (b"%PDF-1.7\n\x00\x01binary", "not a CSV or XLSX"),
        (b"PK\x03\x04 broken zip", "not a CSV or XLSX"),
    ],
)
def test_files_that_are_no_spreadsheet_are_refused(raw, message):
    with pytest.raises(FileRejected, match=message):
        read(raw)


def test_a_zip_that_is_no_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(FileRejected, match="not an Excel workbook"):
        read(buffer.getvalue())


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    with pytest.raises(FileRejected, match="MB"):
        read_sheet(io.BytesIO(b"x"), size=reading.MAX_FILE_BYTES + 1)


def test_more_rows_than_the_limit_are_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    with pytest.raises(FileRejected, match="more than 3 rows"):
        read(b"Name\nA\nB\nC\nD\n")
    assert len(read(b"Name\nA\nB\nC\n").rows) == 3


def test_an_xlsx_is_read_with_its_formulas_as_formulas_not_their_results():
    raw = xlsx_bytes([["Nazwa", "Wartość"], ["Firma", "=1+1"], ["Inna", 150000.5]])
    sheet = read(raw)
    assert sheet.headers == ["Nazwa", "Wartość"]
    assert sheet.rows == [(2, ["Firma", "=1+1"]), (3, ["Inna", "150000.5"])]


def test_a_csv_with_nul_bytes_is_not_taken_for_text():
    with pytest.raises(FileRejected, match="not a CSV or XLSX"):
        read(b"Name\nA\x00B\n")
