"""The columns of an import or export file and how a file's headers map onto them.

Each column is known by its English label, the same label in Polish, the
field's name and a few names other CRMs and people use ("Nazwa firmy",
"Miejscowość"); headers are compared without case, accents and punctuation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from obieg.dataio import cells
from obieg.dataio.reading import FileRejected

# How a column's text is turned into what the form reads.
TEXT, DECIMAL, INTEGER, DATE, BOOLEAN, CHOICE, PESEL, REGON = (
    "text",
    "decimal",
    "integer",
    "date",
    "boolean",
    "choice",
    "pesel",
    "regon",
)


@dataclass(frozen=True)
class Column:
    key: str  # the form field it feeds, or a reference such as "account_nip"
    label: Promise  # gettext_lazy; the export's header in the reader's language
    aliases: tuple[str, ...] = ()  # further headers accepted on import
    kind: str = TEXT
    choices: tuple[tuple[str, Any], ...] = ()  # (value, lazy label) for CHOICE
    # What the export writes for a record; None: not exported.
    value: Callable[[Any], Any] | None = field(default=None, compare=False)
    importable: bool = True
    # Further words a CHOICE cell may use for a value ("targi" for a trade-fair lead).
    choice_aliases: tuple[tuple[str, str], ...] = ()

    def names(self) -> set[str]:
        """Every header key this column answers to, in both interface languages."""
        names = {cells.header_key(self.key), *(cells.header_key(a) for a in self.aliases)}
        for language in ("en", "pl"):
            with override(language):
                names.add(cells.header_key(str(self.label)))
        return names

    def choice_value(self, text: str) -> str:
        """The stored value a choice cell means (by value or by label in either language)."""
        # Unknown text goes to the form as it is: the form refuses it with its own message.
        return self._choice_keys().get(cells.header_key(text), text)

    def _choice_keys(self) -> dict[str, str]:
        cached = self.__dict__.get("_choice_cache")
        if cached is None:
            cached = {}
            for value, label in self.choices:
                for language in ("en", "pl"):
                    with override(language):
                        cached.setdefault(cells.header_key(str(label)), value)
                cached[cells.header_key(value)] = value
            for word, value in self.choice_aliases:
                cached.setdefault(cells.header_key(word), value)
            object.__setattr__(self, "_choice_cache", cached)
        return cached

    def export_value(self, record) -> Any:
        """What the export writes for `record`: a choice by its name in the reader's language."""
        value = self.value(record)
        if self.kind != CHOICE or value in ("", None):
            return value
        return self._labels().get(value, value)

    def _labels(self) -> dict[str, str]:
        # get_FOO_display() costs a quarter of a millisecond (it hashes the lazy choices);
        # an export asks it for every row, so the names are worked out once per language.
        language = get_language()
        cache = self.__dict__.setdefault("_label_cache", {})
        if language not in cache:
            cache[language] = {value: str(label) for value, label in self.choices}
        return cache[language]

    def form_value(self, text: str) -> Any:
        """The cell's text as the form expects it."""
        if self.kind == DECIMAL:
            return cells.decimal_text(text)
        if self.kind == INTEGER:
            return cells.integer_text(text)
        if self.kind == DATE:
            return cells.date_text(text)
        if self.kind == CHOICE:
            return self.choice_value(text)
        if self.kind == PESEL:
            return cells.padded_digits(text, 11)
        if self.kind == REGON:
            return cells.padded_digits(text, 9)
        return text


@dataclass(frozen=True)
class Mapping:
    """Which column of the file feeds which `Column`, and the headers nobody reads."""

    positions: dict[str, int]  # column key -> index in the row
    headers: dict[str, str]  # column key -> the header as the file wrote it
    ignored: list[str]

    def cells(self, row: list[str]) -> dict[str, str]:
        return {
            key: (row[index] if index < len(row) else "") for key, index in self.positions.items()
        }


def map_headers(
    headers: list[str], columns: Iterable[Column], *, required: Iterable[Iterable[str]]
) -> Mapping:
    """Match a file's headers to `columns`; FileRejected when a required one is missing.

    `required` lists groups of column keys: each group needs one of its columns
    (a contact needs its account by id, NIP or name).
    """
    columns = [column for column in columns if column.importable]
    by_name = {name: column for column in columns for name in column.names()}
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    ignored = []
    for index, header in enumerate(headers):
        column = by_name.get(cells.header_key(header))
        if column is None:
            if header:
                ignored.append(header)
            continue
        if column.key in positions:
            raise FileRejected(
                _("The columns “%(first)s” and “%(second)s” both mean %(column)s.")
                % {"first": written[column.key], "second": header, "column": column.label}
            )
        positions[column.key] = index
        written[column.key] = header
    labels = {column.key: column.label for column in columns}
    missing = [
        " / ".join(str(labels[key]) for key in group)
        for group in required
        if not any(key in positions for key in group)
    ]
    if missing:
        raise FileRejected(
            _("Required columns are missing: %(columns)s.") % {"columns": "; ".join(missing)}
        )
    return Mapping(positions=positions, headers=written, ignored=ignored)
