"""Polish-aware text search and ordering: one folding and one sort key for every list.

People type "lodz" for Łódź and "zolw" for Żółw, in any case. Records keep a
*folded* copy of the text a list searches (`fold`: lower case, no diacritics,
ł → l, one space between words), written when the record is saved, and the
query is folded the same way; a plain substring match on that column is then
accent- and case-insensitive on SQLite and PostgreSQL alike, and a trigram
index serves it on PostgreSQL.

Lists sorted by name keep a *sort key* (`sort_key`) beside the name: a string
whose plain byte order is the Polish alphabetical order (a < ą < b < c < ć …
ó < p …, ź < ż; case ignored), so "Dąbrowski" comes before "Drukarnia" and
"Józef" before "Julia". It is made of digits and lower-case ASCII letters
only, two per character, so every database collation orders it the same way
and a plain b-tree index on (sort key, id) serves keyset pagination.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import connection
from django.db.models import Q

# Letters that do not decompose into a base letter and a combining mark.
_NO_DECOMPOSITION = str.maketrans(
    {"ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ı": "i", "ħ": "h"}
)
_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """`text` for matching: lower case, diacritics and ł removed, whitespace collapsed."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.translate(_NO_DECOMPOSITION))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare.casefold()).strip()


def fold_parts(*parts: str | None, limit: int) -> str:
    """Several fields folded into one search column, at most `limit` characters."""
    return " ".join(folded for folded in map(fold, parts) if folded)[:limit]


# -- Polish sort key ---------------------------------------------------------------

POLISH_ALPHABET = "aąbcćdeęfghijklłmnńoóprsśtuvwxyzźż"
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
SEPARATOR = "00"  # between the parts of a composite key: sorts before any character
# Ranks (0..1295, two base-36 digits): space < punctuation < digits < letters.
_SPACE_RANK = 1
_PUNCTUATION = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"
_PUNCTUATION_RANK = 10
_DIGIT_RANK = 100
_LETTER_RANK = 200
_OTHER_LETTER_RANK = 400  # letters of other scripts: after z, in code point order
_OTHER_RANK = 1295
_RANK_OF = {
    " ": _SPACE_RANK,
    **{ch: _PUNCTUATION_RANK + i for i, ch in enumerate(_PUNCTUATION)},
    **{str(d): _DIGIT_RANK + d for d in range(10)},
    **{ch: _LETTER_RANK + i for i, ch in enumerate(POLISH_ALPHABET)},
}


def _rank(ch: str) -> int:
    rank = _RANK_OF.get(ch)
    if rank is not None:
        return rank
    if not ch.isalnum():
        return _PUNCTUATION_RANK + len(_PUNCTUATION)
    # é, ü, ö …: the base letter, as Polish dictionaries sort foreign names.
    base = "".join(
        c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
    ).translate(_NO_DECOMPOSITION)
    if base and base[0] in _RANK_OF:
        return _RANK_OF[base[0]]
    return min(_OTHER_LETTER_RANK + ord(ch) // 64, _OTHER_RANK - 1)


def _encode(rank: int) -> str:
    return _DIGITS[rank // 36] + _DIGITS[rank % 36]


def sort_key(text: str | None, *, limit: int = 120) -> str:
    """The Polish alphabetical sort key of `text` (first `limit` characters count)."""
    if not text:
        return ""
    lowered = _SPACES.sub(" ", text.casefold()).strip()
    # Precomposed Polish letters (ą, ó …) keep their own rank; NFC joins a + ogonek typed apart.
    lowered = unicodedata.normalize("NFC", lowered)[:limit]
    return "".join(_encode(_rank(ch)) for ch in lowered)


def sort_key_of(*parts: str | None, limit: int) -> str:
    """A composite sort key (last name, then first name …), at most `limit` characters."""
    keys = [sort_key(part) for part in parts]
    while keys and not keys[-1]:
        keys.pop()
    return SEPARATOR.join(keys)[:limit]


# -- identifiers -------------------------------------------------------------------------


def digits(text: str | None) -> str:
    return "".join(ch for ch in (text or "") if ch.isdigit())


def phone_key(text: str | None) -> str:
    """A phone number as it is compared: its digits, without the Polish +48 / 0048."""
    number = digits(text)
    if len(number) == 11 and number.startswith("48"):
        return number[2:]
    if len(number) == 13 and number.startswith("0048"):
        return number[4:]
    return number


# Legal forms a company name carries or leaves out; "Solar sp. z o.o." is "Solar".
_LEGAL_FORMS = re.compile(
    r"\b(spolka (z ograniczona odpowiedzialnoscia|komandytowo akcyjna|akcyjna|jawna"
    r"|komandytowa|cywilna|partnerska)|sp z o ?o|spzoo|sp k ?a|sp [kjp]|s ?a|s ?c"
    r"|ltd|gmbh|inc|llc)\b"
)
_NOT_WORD = re.compile(r"[^\w]+")


def name_key(text: str | None) -> str:
    """A name as duplicates are judged: folded, without punctuation and legal form."""
    words = _NOT_WORD.sub(" ", fold(text)).strip()
    return _SPACES.sub(" ", _LEGAL_FORMS.sub(" ", words)).strip()


# -- query helpers -----------------------------------------------------------------------


def contains(field: str, query: str) -> Q:
    """`field` (a folded column) contains the folded `query`."""
    return Q(**{f"{field}__contains": fold(query)})


def starts_with(field: str, prefix: str) -> Q:
    """`field` starts with `prefix`, in a way the field's b-tree index serves.

    PostgreSQL answers LIKE 'prefix%' from the varchar_pattern_ops index Django
    adds beside an indexed text column. SQLite uses an index for LIKE only on
    NOCASE columns, so it gets the equivalent range, which its binary
    (code point) order makes exact.
    """
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})
    return Q(**{f"{field}__startswith": prefix})


class SearchColumns:
    """A model mixin keeping derived search and sort columns in step with their sources.

    The model lists the fields the columns come from (`search_sources`) and
    computes them in `search_columns()`. They are filled on every save; a save
    limited by `update_fields` to a source field writes them too. Paths that
    skip `save()` (bulk inserts, `QuerySet.update`) must call
    `fill_search_columns()` themselves, as the demo's bulk loader does.
    """

    search_sources: tuple[str, ...] = ()

    def search_columns(self) -> dict[str, str]:
        raise NotImplementedError

    def fill_search_columns(self) -> None:
        for name, value in self.search_columns().items():
            setattr(self, name, value)

    def save(self, *args, **kwargs):
        self.fill_search_columns()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.search_sources):
            kwargs["update_fields"] = {*update_fields, *self.search_columns()}
        super().save(*args, **kwargs)
