"""A report's tables as CSV or XLSX, with the conventions of the list exports (obieg.dataio).

CSV: UTF-8 with a byte-order mark, ';' and decimal commas for Polish Excel
(`sep=comma` for ',' and decimal points), text that a spreadsheet would run
as a formula prefixed with an apostrophe. Amounts are exact sums rounded
half-up to the grosz only here, as on the page.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from obieg.core.money import to_grosz
from obieg.crm.reports.table import MONEY, MONTH, PERCENT, Table
from obieg.dataio.export import SEPARATORS, csv_safe

PERCENT_PLACE = Decimal("0.1")


def _label(column) -> str:
    return f"{column.label} (%)" if column.kind == PERCENT else str(column.label)


def _csv_cell(value, kind: str, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, date) and kind == MONTH:
        return f"{value:%Y-%m}"
    if isinstance(value, Decimal):
        number = to_grosz(value) if kind == MONEY else (value * 100).quantize(PERCENT_PLACE)
        text = f"{number:f}"
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, int):
        return str(value)
    return csv_safe(str(value))


def csv_text(tables: list[tuple[str, Table]], *, separator: str = "semicolon") -> str:
    """The tables one after another, each under its title, with its summing row."""
    delimiter = SEPARATORS.get(separator, ";")
    decimal_comma = delimiter == ";"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for index, (title, table) in enumerate(tables):
        if index:
            writer.writerow([])
        if len(tables) > 1:
            writer.writerow([csv_safe(title)])
        writer.writerow([_label(column) for column in table.columns])
        rows = [*table.rows, table.total] if table.total else table.rows
        for row in rows:
            writer.writerow(
                [
                    _csv_cell(value, column.kind, decimal_comma)
                    for value, column in zip(row, table.columns, strict=False)
                ]
            )
    return "\ufeff" + buffer.getvalue()


def xlsx_bytes(tables: list[tuple[str, Table]]) -> bytes:
    """One sheet per table; amounts as numbers formatted to the grosz, months as dates."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    formats = {MONEY: "#,##0.00", PERCENT: "0.0%", MONTH: "yyyy-mm"}
    for title, table in tables:
        sheet = workbook.create_sheet(title=ILLEGAL_CHARACTERS_RE.sub("", title)[:31] or "1")
        sheet.append([str(column.label) for column in table.columns])
        for cell in sheet[1]:
            cell.font = bold
        rows = [*table.rows, table.total] if table.total else table.rows
        for row in rows:
            values = []
            for value, column in zip(row, table.columns, strict=False):
                if isinstance(value, Decimal) and column.kind == MONEY:
                    value = to_grosz(value)
                elif isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                values.append(value)
            sheet.append(values)
            for cell, column in zip(sheet[sheet.max_row], table.columns, strict=False):
                if column.kind in formats:
                    cell.number_format = formats[column.kind]
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text typed by people is never run as a formula
        sheet.freeze_panes = "B2"
    if not workbook.sheetnames:
        workbook.create_sheet(title=_("Report")[:31])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
