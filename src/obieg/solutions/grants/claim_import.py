"""Importing a claim's expense list from a CSV or XLSX file (the client's Excel export).

Polish Excel writes CSV with `;` between columns, a decimal comma and either
UTF-8 (with or without a BOM) or Windows-1250; all are read. Column headers may
be Polish or English, in any order and letter case. Every row is read and
checked before anything is saved: one wrong row saves none, and the error
names each wrong row's number (as the spreadsheet numbers it, the header being
row 1) and field.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from obieg.core.errors import ApplicationError
from obieg.solutions.grants import claims
from obieg.solutions.grants.models import EligibleExpense, PaymentClaim

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

# Header words (without diacritics, lower case) → the expense's field.
HEADERS = {
    "document_number": (
        "nr dokumentu",
        "numer dokumentu",
        "nr faktury",
        "numer faktury",
        "dokument",
        "document number",
        "document",
        "invoice number",
        "invoice",
    ),
    "supplier": ("dostawca", "wystawca", "kontrahent", "sprzedawca", "supplier", "vendor"),
    "description": ("opis", "nazwa", "opis wydatku", "description", "item"),
    "category": ("kategoria", "kategoria wydatku", "category"),
    "issued_on": (
        "data wystawienia",
        "data dokumentu",
        "wystawiono",
        "issued on",
        "issue date",
        "date of issue",
        "issued",
    ),
    "paid_on": (
        "data zaplaty",
        "data platnosci",
        "zaplacono",
        "paid on",
        "payment date",
        "date paid",
        "paid",
    ),
    "net": ("netto", "kwota netto", "wartosc netto", "net", "net amount"),
    "gross": ("brutto", "kwota brutto", "wartosc brutto", "gross", "gross amount"),
    "eligible": (
        "kwalifikowalne",
        "wydatki kwalifikowalne",
        "kwota kwalifikowalna",
        "kwota wydatkow kwalifikowalnych",
        "eligible",
        "eligible amount",
    ),
}
REQUIRED = ("document_number", "supplier", "description", "paid_on", "issued_on")
AMOUNTS = ("net", "gross", "eligible")
DATES = ("issued_on", "paid_on")


def _plain(text: str) -> str:
    """A header as compared: no diacritics (ł too), lower case, single spaces."""
    text = text.replace("ł", "l").replace("Ł", "L")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text)  # "Netto (PLN)" → "netto"
    return " ".join(text.lower().replace("_", " ").split())


_LOOKUP = {_plain(word): field for field, words in HEADERS.items() for word in words}


def _label(field: str) -> str:
    return str(EligibleExpense._meta.get_field(field).verbose_name)


def amount(value: Any) -> Decimal:
    """'1 234,56', '1.234,56 zł', '1,234.56' or a number from a spreadsheet → Decimal."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))  # a spreadsheet number: its shortest decimal form
    text = str(value or "").replace("zł", "").replace("PLN", "")
    text = re.sub(r"[\s\u00a0\u202f']", "", text)
    # With both marks the last one is the decimal mark ("1.234,56", "1,234.56");
    # a lone comma is the Polish decimal comma.
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in text:
        text = text.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        raise ValueError
    return Decimal(text)


def day(value: Any) -> date:
    """'2026-03-15', '15.03.2026', '15/03/2026', a spreadsheet date → date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return date(1899, 12, 30) + timedelta(days=int(value))  # an Excel serial day
    text = str(value or "").strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y", "%Y.%m.%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError


def _refuse(message: str):
    raise ApplicationError(message, field_errors={"file": [message]})


def _decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="strict")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1250", errors="replace")


def csv_rows(content: bytes) -> list[list[Any]]:
    """The CSV's rows of cells; the separator is `;` unless the header shows `,` or a tab."""
    try:
        text = _decode(content)
    except UnicodeDecodeError:
        _refuse(_("The file is not readable text (UTF-8 or Windows-1250)."))
    first = text.split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in (";", "\t", ",")}
    separator = max(counts, key=lambda sep: (counts[sep], sep == ";"))
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error:  # a runaway quote or a field over the csv module's limit
        _refuse(_("The file is not a readable CSV list."))


def xlsx_rows(content: bytes) -> list[list[Any]]:
    """The first worksheet's rows of cells."""
    import openpyxl  # only when a workbook is read

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
        book.close()
        return rows
    except Exception:  # any unreadable workbook is the user's file, not our error
        _refuse(_("The file is not a readable XLSX workbook."))


def _columns(header: list[Any]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        field = _LOOKUP.get(_plain(str(cell or "")))
        if field and field not in columns:
            columns[field] = index
    missing = [f for f in (*REQUIRED, *AMOUNTS) if f not in columns]
    if missing:
        _refuse(
            _("The file lacks the columns: %(columns)s.")
            % {"columns": ", ".join(_label(f) for f in missing)}
        )
    return columns


def ensure_size(size: int) -> None:
    """Refuse a file over the size limit (before it is read)."""
    if size > MAX_BYTES:
        _refuse(_("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)})


def parse(content: bytes, name: str) -> list[dict[str, Any]]:
    """The file's expenses as field dicts, each with its spreadsheet row number (`row`).

    Values that cannot be read (a date, an amount) are refused here, naming
    the row and the column; the business checks follow in the service.
    """
    ensure_size(len(content))
    if not content.strip():
        _refuse(_("The file is empty."))
    is_xlsx = name.lower().endswith(".xlsx") or content.startswith(b"PK\x03\x04")
    rows = xlsx_rows(content) if is_xlsx else csv_rows(content)
    if not rows:
        _refuse(_("The file is empty."))
    columns = _columns(rows[0])
    expenses, errors = [], {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(str(c or "").strip() for c in cells):
            continue  # blank lines at the end of an export
        if len(expenses) >= MAX_ROWS:
            _refuse(_("The file has more than %(rows)s expenses.") % {"rows": MAX_ROWS})
        data: dict[str, Any] = {"row": number}
        for field, index in columns.items():
            raw = cells[index] if index < len(cells) else None
            try:
                if field in AMOUNTS:
                    data[field] = amount(raw)
                elif field in DATES:
                    data[field] = day(raw)
                else:
                    data[field] = "" if raw is None else str(raw).strip()
            except (ValueError, InvalidOperation, OverflowError):
                errors[claims.row_key(number, field)] = [
                    _("Cannot read “%(value)s”.") % {"value": str(raw)[:40]}
                ]
        expenses.append(data)
    if errors:
        raise ApplicationError(
            _("The file has wrong rows; nothing was imported."), field_errors=errors
        )
    if not expenses:
        _refuse(_("The file lists no expenses."))
    return expenses


def import_expenses(*, actor, claim: PaymentClaim, content: bytes, name: str) -> int:
    """Add the file's expenses to the claim, all or none; how many were added.

    Each wrong row is named with its number and field, and nothing is saved.
    """
    expenses = parse(content, name)
    rows = [{k: v for k, v in data.items() if k != "row"} for data in expenses]
    claims.expenses_add(
        actor=actor, claim=claim, rows=rows, row_numbers=[data["row"] for data in expenses]
    )
    return len(rows)
