"""Writing a list as CSV or XLSX, a batch of rows at a time.

CSV is UTF-8 with a byte-order mark, so Excel reads Polish letters right.
The default separator is ';' with decimal commas ("150000,50"): that is what
Excel in Polish expects when a file is double-clicked, and it splits
comma-separated files into one column. `sep=comma` writes ',' and decimal
points for other programs. Dates are ISO (2026-12-31), which every Excel
reads as a date. The columns and values are those the import reads back.

A text cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR)
is written with a leading apostrophe in CSV (OWASP's advice against CSV
injection) and as a text cell in XLSX, where no prefix is needed.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _

from obieg.dataio.cells import looks_like_formula
from obieg.dataio.types.base import RecordType

SEPARATORS = {"semicolon": ";", "comma": ","}


def csv_safe(text: str) -> str:
    return f"'{text}" if looks_like_formula(text) else text


def _csv_value(value, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        text = f"{value:f}"
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return csv_safe(str(value))


def csv_chunks(kind: RecordType, request, *, separator: str) -> Iterator[str]:
    """The list as CSV text, one chunk per batch of records (for a streaming response)."""
    columns = kind.export_columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow([str(column.label) for column in columns])
    yield "\ufeff" + _drain(buffer)
    decimal_comma = separator == ";"
    for batch in kind.export_pages(request):
        for record in batch:
            writer.writerow(
                [_csv_value(column.export_value(record), decimal_comma) for column in columns]
            )
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def xlsx_file(kind: RecordType, request) -> IO[bytes]:
    """The list as an XLSX workbook in a temporary file, positioned at its start.

    openpyxl's write-only mode keeps only the current row in memory; the
    workbook is written to disk, not built in memory, however long the list.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(kind.label)[:31])
    sheet.freeze_panes = "A2"
    columns = kind.export_columns()
    bold = Font(bold=True)

    def header(text: str):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        return cell

    def value(raw):
        if isinstance(raw, datetime):
            return timezone.localtime(raw).replace(tzinfo=None)
        if not isinstance(raw, str):
            return raw
        text = ILLEGAL_CHARACTERS_RE.sub("", raw)
        if not text.startswith("="):
            return text
        # openpyxl would store "=…" as a formula: a text cell is never run.
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        return cell

    sheet.append([header(str(column.label)) for column in columns])
    for batch in kind.export_pages(request):
        for record in batch:
            sheet.append([value(column.export_value(record)) for column in columns])
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    return output


def file_name(kind: RecordType, extension: str) -> str:
    return f"{kind.key}-{timezone.localdate():%Y-%m-%d}.{extension}"
