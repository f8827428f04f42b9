"""The FEEL tokenizer.

FEEL names may contain spaces and some operator characters (`date and
time`, `Loan Amount`, `Date-Time`), so the tokenizer reads a name as the
longest *known* name at that point (built-in functions, type names, and the
names the caller says are in scope), else as a run of plain words that are
not keywords: two names in a row never occur in FEEL otherwise.

The tokens feed lark's LALR parser (grammar in `grammar.lark`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lark import Token

from .errors import FeelLimitError, FeelSyntaxError
from .limits import Limits

KEYWORDS = {
    "for": "FOR",
    "in": "IN",
    "return": "RETURN",
    "if": "IF",
    "then": "THEN",
    "else": "ELSE",
    "some": "SOME",
    "every": "EVERY",
    "satisfies": "SATISFIES",
    "and": "AND",
    "or": "OR",
    "between": "BETWEEN",
    "instance": "INSTANCE",
    "of": "OF",
    "function": "FUNCTION",
    "external": "EXTERNAL",
    "true": "TRUE",
    "false": "FALSE",
    "null": "NULL",
}

PUNCTUATION = [
    ("..", "DOTDOT"),
    ("**", "POW"),
    ("->", "ARROW"),
    ("!=", "NE"),
    ("<=", "LE"),
    (">=", "GE"),
    ("(", "LPAR"),
    (")", "RPAR"),
    ("[", "LSQB"),
    ("]", "RSQB"),
    ("{", "LBRACE"),
    ("}", "RBRACE"),
    (",", "COMMA"),
    (":", "COLON"),
    (".", "DOT"),
    ("+", "PLUS"),
    ("-", "MINUS"),
    ("*", "STAR"),
    ("/", "SLASH"),
    ("=", "EQ"),
    ("<", "LT"),
    (">", "GT"),
]

# Name start / part characters of the DMN 1.5 grammar (rules 27-30), approximately.
_LETTERS = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
    "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf"
    "\ufdf0-\ufffd\U00010000-\U000effff"
)
_NAME_START = "[?" + _LETTERS + "]"
_NAME_PART = "[?0-9\u00b7\u0300-\u036f\u203f-\u2040" + _LETTERS + "]"
WORD = re.compile(_NAME_START + _NAME_PART + "*")
NAME_CHAR = re.compile(_NAME_PART)
NUMBER = re.compile(r"(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?")
SPACE = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)+", re.S)
# Characters that may join the words of a multi-word name (DMN "additional name symbols").
NAME_JOINERS = "./-'+*\u2019"

BUILTIN_NAMES = frozenset(
    {
        "date and time",
        "years and months duration",
        "days and time duration",
        "day of year",
        "day of week",
        "month of year",
        "week of year",
        "index of",
        "last day of month",
        "time offset",
    }
)


def split_words(name: str) -> list[str]:
    """The words and joiner symbols of a name, e.g. `Date-Time` -> Date, -, Time."""
    parts: list[str] = []
    for chunk in name.split():
        current = ""
        for char in chunk:
            if char in NAME_JOINERS:
                if current:
                    parts.append(current)
                parts.append(char)
                current = ""
            else:
                current += char
        if current:
            parts.append(current)
    return parts


def needs_known(name: str) -> bool:
    """Whether the tokenizer can only read this name when told about it."""
    words = split_words(name)
    if len(words) <= 1:
        return False
    return any(w.lower() in KEYWORDS or w in NAME_JOINERS or not WORD.fullmatch(w) for w in words)


@dataclass(frozen=True)
class KnownNames:
    """Multi-word names with keywords or symbols, indexed by their first word."""

    by_first: dict[str, list[tuple[str, re.Pattern[str]]]]

    @classmethod
    def of(cls, names: Iterable[str]) -> KnownNames:
        by_first: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        for name in set(names) | BUILTIN_NAMES:
            words = split_words(name)
            if len(words) <= 1:
                continue
            pattern = r"\s*".join(re.escape(w) for w in words)
            if NAME_CHAR.fullmatch(words[-1][-1]):
                pattern += r"(?!" + _NAME_PART + ")"
            by_first.setdefault(words[0], []).append((" ".join(name.split()), re.compile(pattern)))
        for entries in by_first.values():
            entries.sort(key=lambda entry: -len(entry[0]))
        return cls(by_first)


def _unescape(body: str, line: int, column: int) -> str:
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char != "\\":
            out.append(char)
            i += 1
            continue
        nxt = body[i + 1 : i + 2]
        simple = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "'": "'", "\\": "\\"}
        if nxt in simple:
            out.append(simple[nxt])
            i += 2
        elif nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", body[i + 2 : i + 6]):
            code = int(body[i + 2 : i + 6], 16)
            i += 6
            low = body[i : i + 6]
            if 0xD800 <= code <= 0xDBFF and re.fullmatch(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}", low):
                code = 0x10000 + ((code - 0xD800) << 10) + (int(low[2:], 16) - 0xDC00)
                i += 6
            out.append(chr(code))
        elif nxt == "U" and re.fullmatch(r"[0-9a-fA-F]{6}", body[i + 2 : i + 8]):
            out.append(chr(int(body[i + 2 : i + 8], 16)))
            i += 8
        else:
            out.append(char)
            i += 1
    return "".join(out)


def tokenize(
    text: str, known: KnownNames, limits: Limits, *, unary_tests: bool = False
) -> Iterator[Token]:
    if len(text) > limits.max_source_length:
        raise FeelLimitError(f"expression longer than {limits.max_source_length:,} characters")
    pos = 0
    line = 1
    line_start = 0
    # Open brackets; each entry is [char, saw_dotdot] to read `]a..b[` style intervals.
    stack: list[list] = []
    previous: str | None = None
    length = len(text)

    def make(kind: str, value: str, start: int) -> Token:
        return Token(kind, value, start_pos=start, line=line, column=start - line_start + 1)

    while pos < length:
        space = SPACE.match(text, pos)
        if space:
            chunk = space.group()
            if chunk.startswith("/*") and not chunk.endswith("*/"):
                raise FeelSyntaxError(f"unclosed comment at line {line}")
            newlines = chunk.count("\n")
            if newlines:
                line += newlines
                line_start = pos + chunk.rindex("\n") + 1
            pos = space.end()
            continue
        if text.startswith("/*", pos):
            raise FeelSyntaxError(f"unclosed comment at line {line}")
        char = text[pos]
        start = pos
        if char == '"' or (char == "@" and text[pos + 1 : pos + 2] == '"'):
            quote_at = pos + (1 if char == "@" else 0)
            end = quote_at + 1
            while end < length and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            if end >= length:
                raise FeelSyntaxError(
                    f"unclosed string at line {line}, column {start - line_start + 1}"
                )
            value = _unescape(text[quote_at + 1 : end], line, start)
            token = make("AT_STRING" if char == "@" else "STRING", value, start)
            pos = end + 1
        elif char.isdigit() or (
            char == "."
            and text[pos + 1 : pos + 2].isdigit()
            and previous not in ("NAME", "RPAR", "RSQB", "RBRACE", "DOTDOT")
        ):
            match = NUMBER.match(text, pos)
            assert match is not None
            value = match.group()
            exponent = re.search(r"[eE]([+-]?\d+)$", value)
            if exponent and abs(int(exponent.group(1)[:12])) > 6000:
                raise FeelLimitError(f"number {value!r} is outside the FEEL number range")
            if len(value) > 200:
                raise FeelLimitError("number literal longer than 200 characters")
            token = make("NUMBER", value, start)
            pos = start + len(value)
        elif WORD.match(text, pos):
            token, pos = _read_name(text, pos, known, previous, make)
        else:
            found = next((entry for entry in PUNCTUATION if text.startswith(entry[0], pos)), None)
            if found is None:
                raise FeelSyntaxError(
                    f"unexpected character {char!r} at line {line}, column {start - line_start + 1}"
                )
            symbol, kind = found
            pos += len(symbol)
            if kind == "RSQB" and previous in (
                None,
                "LPAR",
                "COMMA",
                "IN",
                "COLON",
                "EQ",
                "NE",
                "LT",
                "LE",
                "GT",
                "GE",
                "AND",
                "OR",
                "RETURN",
                "THEN",
                "ELSE",
                "SATISFIES",
                "PLUS",
                "MINUS",
                "STAR",
                "SLASH",
                "LBRACE",
                "RANGE_OPEN_START",
            ):
                kind = "RANGE_OPEN_START"
            if kind == "LSQB" and stack and stack[-1][1] and _closes_interval(text, pos):
                kind = "RANGE_OPEN_END"
            if kind == "DOTDOT" and stack:
                stack[-1][1] = True
            if kind in ("LPAR", "LSQB", "LBRACE", "RANGE_OPEN_START"):
                stack.append([symbol, False])
                if len(stack) > limits.max_nesting:
                    raise FeelLimitError(
                        f"expression nested deeper than {limits.max_nesting} brackets"
                    )
            elif kind in ("RPAR", "RSQB", "RBRACE", "RANGE_OPEN_END"):
                if stack:
                    stack.pop()
            token = make(kind, symbol, start)
        if (
            unary_tests
            and previous is None
            and token.type == "NAME"
            and token.value == "not"
            and text[pos:].lstrip().startswith("(")
        ):
            token = make("NOT", "not", start)
        previous = token.type
        yield token


def _closes_interval(text: str, pos: int) -> bool:
    """`[` right after an interval's end point closes it when nothing follows it."""
    rest = text[pos:].lstrip()
    return (
        not rest
        or rest[0] in ",)]}."
        or re.match(r"(and|or|then|else|return|satisfies)\b", rest) is not None
    )


_CONTEXT_KEY = re.compile(r"([^\s:\"{}\[\](),][^:\"{}\[\](),]*?)\s*:(?!=)")


def _read_name(text, pos, known: KnownNames, previous, make):
    word_match = WORD.match(text, pos)
    assert word_match is not None
    first = word_match.group()
    for name, pattern in known.by_first.get(first, ()):
        match = pattern.match(text, pos)
        if match:
            return make("NAME", name, pos), match.end()
    if previous in ("LBRACE", "COMMA"):
        # a context key such as `foo+bar:` or `a-b c:` is one name up to its colon
        key = _CONTEXT_KEY.match(text, pos)
        if (
            key
            and key.group(1).strip() != first
            and not any(w in KEYWORDS for w in key.group(1).split())
        ):
            return make("NAME", " ".join(key.group(1).split()), pos), key.end(1)
    lowered = first
    if lowered in KEYWORDS and previous != "DOT":
        return make(KEYWORDS[lowered], first, pos), word_match.end()
    words = [first]
    end = word_match.end()
    # More plain words separated by spaces belong to the same name.
    while True:
        gap = re.compile(r"[ \t]+").match(text, end)
        if not gap:
            break
        nxt = WORD.match(text, gap.end())
        if not nxt or nxt.group() in KEYWORDS:
            break
        words.append(nxt.group())
        end = nxt.end()
    return make("NAME", " ".join(words), pos), end
