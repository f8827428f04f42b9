"""Checking a file's rows: one set of look-ups, then each row through its record's form."""

from __future__ import annotations

from django.utils.translation import gettext as _

from obieg.dataio.columns import Mapping, map_headers
from obieg.dataio.reading import Sheet
from obieg.dataio.types.base import RecordType, RowCheck

Rows = list[tuple[int, dict[str, str]]]


def read_rows(record_type: RecordType, sheet: Sheet) -> tuple[Mapping, Rows]:
    """The file's rows as {column key: text}; FileRejected when a required column is missing."""
    mapping = map_headers(sheet.headers, record_type.columns, required=record_type.required)
    return mapping, [(line, mapping.cells(cells)) for line, cells in sheet.rows]


def check_rows(
    record_type: RecordType, user, rows: Rows, headers: dict[str, str]
) -> list[RowCheck]:
    """What each row would do if imported by `user` now."""
    mapping = Mapping(positions={}, headers=headers, ignored=[])
    context = record_type.lookups(user, [cells for _line, cells in rows])
    first_line: dict[tuple, int] = {}
    checks = []
    for line, cells in rows:
        check = record_type.check(user, context, line, cells, mapping)
        if check.identity is not None:
            first = first_line.setdefault(check.identity, line)
            if first != line:
                check.error(
                    "", _("Row %(line)d of this file is already this record.") % {"line": first}
                )
        checks.append(check)
    return checks
