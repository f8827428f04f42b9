"""Reading an uploaded CSV or XLSX file into a header row and data rows.

What the file is, is judged by its content, not its name: an XLSX is a zip
archive openpyxl can open; anything else must be text in the chosen
encoding. Every way a file can be wrong ends in `FileRejected` with a
message for the person who uploaded it, never in a server error.

openpyxl reads the workbook in read-only mode (rows streamed from the zip,
XML through defusedxml) and without computed values, so a formula cell comes
through as its formula and is refused by the row checks instead of being
imported as whatever it last computed.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from obieg.dataio.cells import cell_text

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# An XLSX is compressed: a small file may unpack into gigabytes of XML.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
ENCODINGS = {"utf-8": "UTF-8", "cp1250": "Windows-1250"}

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and .doc) container
_DELIMITERS = ";,\t"


class FileRejected(Exception):
    """The file cannot be imported at all; the message says why."""


@dataclass(frozen=True)
class Sheet:
    headers: list[str]
    # (the row's number in the file, counting the header as 1; its cells as text)
    rows: list[tuple[int, list[str]]]


def read_sheet(upload: IO[bytes], *, size: int, encoding: str = "utf-8") -> Sheet:
    """The header and the non-empty rows of an uploaded CSV or XLSX file."""
    if size > MAX_FILE_BYTES:
        raise FileRejected(
            _("The file is %(size)s MB; files up to %(limit)s MB can be imported.")
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": MAX_FILE_BYTES // 1024 // 1024}
        )
    head = upload.read(8)
    upload.seek(0)
    if not head:
        raise FileRejected(_("The file is empty."))
    if head.startswith(_ZIP_MAGIC):
        sheet = _read_xlsx(upload)
    elif head.startswith(_OLE_MAGIC):
        raise FileRejected(
            _("Old Excel files (.xls) cannot be read: save the sheet as .xlsx or CSV.")
        )
    else:
        sheet = _read_csv(upload.read(), encoding)
    if not any(sheet.headers):
        raise FileRejected(_("The first row of the file must name the columns."))
    if not sheet.rows:
        raise FileRejected(_("The file has a header row but no data rows."))
    return sheet


def _rows_within_limit(rows) -> list[tuple[int, list[str]]]:
    """Non-empty rows, refusing the file as soon as it has more than MAX_ROWS of them."""
    kept = []
    for line, cells in rows:
        if not any(cells):
            continue
        if len(kept) == MAX_ROWS:
            raise FileRejected(
                ngettext(
                    "The file has more than %(limit)d row; import at most %(limit)d at a time.",
                    "The file has more than %(limit)d rows; import at most %(limit)d at a time.",
                    MAX_ROWS,
                )
                % {"limit": MAX_ROWS}
            )
        kept.append((line, cells))
    return kept


def _read_csv(raw: bytes, encoding: str) -> Sheet:
    if b"\x00" in raw:
        raise FileRejected(_("This is not a CSV or XLSX file."))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw, encoding = raw[3:], "utf-8"  # a BOM says UTF-8, whatever was chosen
    try:
        text = raw.decode(encoding if encoding in ENCODINGS else "utf-8")
    except UnicodeDecodeError as error:
        raise FileRejected(
            _(
                "The file is not %(encoding)s text (line %(line)d). A CSV saved by Excel as "
                "'CSV (comma delimited)' is Windows-1250: choose that encoding, or save "
                "the sheet as 'CSV UTF-8'."
            )
            % {
                "encoding": ENCODINGS.get(encoding, "UTF-8"),
                "line": raw[: error.start].count(b"\n") + 1,
            }
        ) from error
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        headers = [cell.strip() for cell in next(reader, [])]
        rows = _rows_within_limit(
            (reader.line_num, [cell.strip() for cell in row]) for row in reader
        )
    except csv.Error as error:
        raise FileRejected(
            _("The CSV file is malformed near line %(line)d: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error
    return Sheet(headers=headers, rows=rows)


def _delimiter(text: str) -> str:
    """The separator of the header line: Polish Excel writes ';', others ',' or a tab."""
    first_line = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first_line, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        counts = {delimiter: first_line.count(delimiter) for delimiter in _DELIMITERS}
        return max(counts, key=counts.get) if any(counts.values()) else ","


def _read_xlsx(upload: IO[bytes]) -> Sheet:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FileRejected(_("This is not a CSV or XLSX file.")) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileRejected(_("The workbook unpacks to too much data to import at once."))
    upload.seek(0)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a zip that is no workbook
        raise FileRejected(_("This file is not an Excel workbook (.xlsx).")) from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise FileRejected(_("The workbook has no sheet."))
        lines = enumerate(sheet.iter_rows(), start=1)
        headers: list[str] = []
        for _line, row in lines:
            headers = [_xlsx_cell(cell) for cell in row]
            break
        rows = _rows_within_limit((line, [_xlsx_cell(cell) for cell in row]) for line, row in lines)
    except (zipfile.BadZipFile, zlib.error, KeyError, ValueError, TypeError, OSError) as error:
        raise FileRejected(_("This file is not an Excel workbook (.xlsx).")) from error
    finally:
        workbook.close()
    width = len(headers)
    return Sheet(headers=headers, rows=[(line, cells[:width]) for line, cells in rows])


def _xlsx_cell(cell) -> str:
    if getattr(cell, "data_type", None) == "f":
        value = cell.value
        # An array formula comes as an object; either way the cell is a formula.
        return value if isinstance(value, str) else f"={getattr(value, 'text', '')}"
    return cell_text(cell.value)
