"""Building import files in tests: CSV text or XLSX workbooks, as uploads."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook


def csv_upload(
    rows: list[list], *, delimiter: str = ";", encoding: str = "utf-8", name="import.csv"
):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_upload(rows: list[list], *, name="import.xlsx"):
    return SimpleUploadedFile(
        name,
        xlsx_bytes(rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def preview(user, record_type: str, upload, *, encoding: str = "utf-8"):
    """Upload a file for `user` as the import page does; the waiting ImportBatch."""
    from obieg.dataio import services

    return services.import_preview(
        actor=user,
        record_type=record_type,
        upload=upload,
        size=upload.size,
        file_name=upload.name,
        encoding=encoding,
    )


def outcome(batch, line: int) -> dict:
    return next(row for row in batch.outcomes if row["line"] == line)
