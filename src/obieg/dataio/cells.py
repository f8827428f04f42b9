"""Single cells of a spreadsheet: headers, formulas, and values as Polish files write them.

Normalising here only turns what a file may hold ("150 000,50", "31.12.2026",
an Excel date, "tak") into what the record forms read; whether the value is
valid is left to the forms, so an import refuses exactly what a form would.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from obieg.core.numbers import parse_decimal

# A cell starting with one of these is read as a formula by Excel and LibreOffice
# (CSV injection: "=HYPERLINK(…)", "@SUM(…)", "+cmd|…"); a tab or carriage return
# first hides the rest from view.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A phone number or a signed amount ("+48 600 100 200", "-150,50") starts with + or -
# but holds nothing a spreadsheet could run.
_PLAIN_NUMBER = re.compile(r"[+-][0-9][0-9 \u00a0().,/-]*")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_PERCENT = re.compile(r"(\d+)(?:[.,]0+)?\s*%?")

_YES = {"tak", "t", "yes", "y", "true", "1", "x", "prawda"}
_NO = {"nie", "n", "no", "false", "0", "falsz", ""}


def header_key(text) -> str:
    """A header compared loosely: no case, accents, spaces or punctuation ("E-mail" = "email")."""
    text = str(text or "").replace("ł", "l").replace("Ł", "L")
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum())


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would run `text` as a formula."""
    if not text or not text.startswith(_FORMULA_STARTS):
        return False
    return not (text[0] in "+-" and _PLAIN_NUMBER.fullmatch(text))


def unquote_text(text: str) -> str:
    """A value marked as text with a leading apostrophe ("'=A1", as our CSV export writes
    it) is the literal text, not a formula."""
    if text.startswith("'") and looks_like_formula(text[1:]):
        return text[1:]
    return text


def cell_text(value) -> str:
    """A cell as text: what a CSV would hold for it (dates ISO, numbers without exponent)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else value
        if number == number.to_integral_value():
            return str(number.quantize(Decimal(1)))
        return format(number.normalize(), "f")
    return str(value).strip()


def decimal_text(text: str) -> str:
    """ "150 000,50" or "150000.5 zł" as "150000.50"; anything else unchanged for the form."""
    try:
        return str(parse_decimal(text))
    except ValueError:
        return text


def integer_text(text: str) -> str:
    """ "50", "50%" or "50,0" as "50"; anything else unchanged for the form."""
    match = _PERCENT.fullmatch(text)
    return match[1] if match else text


def date_text(text: str) -> str:
    """ "31.12.2026" as "2026-12-31" (ISO dates pass as they are); anything else unchanged."""
    match = _DAY_MONTH_YEAR.fullmatch(text)
    if match is None:
        return text
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return text


def boolean_value(text: str) -> bool | None:
    """True for "tak"/"yes"/"1"/"x", False for "nie"/"no"/"0"/empty, None when neither."""
    key = header_key(text)
    if key in _YES:
        return True
    if key in _NO:
        return False
    return None


def padded_digits(text: str, *lengths: int) -> str:
    """An identifier Excel stored as a number lost its leading zeros: put them back.

    Only all-digit values shorter than the first length are padded; the
    checksum then decides, as it would for the typed value.
    """
    if text.isdigit() and len(text) < lengths[0]:
        return text.zfill(lengths[0])
    return text


def as_decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None
