"""What an uploaded file is, judged by its content, never by its name or the browser's type.

A field that asks for "PDF or DOCX" stored `evil.exe` because only the
name was looked at. Each declared set of kinds (an expert opinion, a
photo, any business document) is one validator here, used alike by the
forms, the API serializers and the documents service behind them.

The magic numbers come from puremagic. Office files are zip archives, and
puremagic calls every zip "docx": for those the archive's own parts are
checked ([Content_Types].xml naming the main document of an OOXML file,
the `mimetype` entry of an OpenDocument file), reading only the directory
and one small entry, whatever the archive holds.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# [Content_Types].xml is a few kilobytes; more than this is not an office file's.
_CONTENT_TYPES_LIMIT = 1024 * 1024
# An archive that cannot be read as a zip, or only by reading past what it declares.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError)
_ZIP_ERRORS += (KeyError, ValueError, NotImplementedError, RuntimeError)


@dataclass(frozen=True)
class FileKind:
    label: str
    mime_type: str
    extensions: tuple[str, ...]  # the first is what a stored file of this kind is named
    matches: Callable[[IO[bytes], frozenset[str]], bool]

    def file_name(self, name: str) -> str:
        """`name` with this kind's extension: a PDF named `opinia.exe` is kept as `opinia.pdf`."""
        stem, dot, extension = name.rpartition(".")
        if dot and f".{extension.lower()}" in self.extensions:
            return name
        return f"{stem if dot and stem else name}{self.extensions[0]}"


def _signature(*mime_types: str) -> Callable[[IO[bytes], frozenset[str]], bool]:
    """Matches when puremagic finds the format's magic number at the start of the file."""
    wanted = frozenset(mime_types)
    return lambda _file, signatures: bool(wanted & signatures)


def _zip_part(check: Callable[[zipfile.ZipFile], bool]):
    """A zip archive (by its magic number) whose parts `check` accepts."""

    def matches(file: IO[bytes], signatures: frozenset[str]) -> bool:
        if "application/zip" not in signatures:
            return False
        try:
            with zipfile.ZipFile(file) as archive:
                return check(archive)
        except _ZIP_ERRORS:
            return False

    return matches


def _read(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    with archive.open(name) as part:
        return part.read(limit + 1)


def _ooxml(main_part: str, main_content_type: str):
    """Office Open XML: the main document part is there and [Content_Types].xml declares it.

    The declared type also tells a macro-enabled .docm or .xlsm (whose main part has
    another type) from the .docx or .xlsx it may be renamed to.
    """

    def check(archive: zipfile.ZipFile) -> bool:
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names or main_part not in names:
            return False
        content_types = _read(archive, "[Content_Types].xml", _CONTENT_TYPES_LIMIT)
        return (
            len(content_types) <= _CONTENT_TYPES_LIMIT
            and main_content_type.encode() in content_types
        )

    return _zip_part(check)


def _opendocument(mime_type: str):
    """OpenDocument: a `mimetype` entry holding exactly the format's type, and its content."""

    def check(archive: zipfile.ZipFile) -> bool:
        names = set(archive.namelist())
        if "mimetype" not in names or "content.xml" not in names:
            return False
        return _read(archive, "mimetype", 100) == mime_type.encode()

    return _zip_part(check)


_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis"}


def _heic(file: IO[bytes], _signatures: frozenset[str]) -> bool:
    """An ISO media file whose `ftyp` box names a HEIC image brand (iPhone photos).

    puremagic knows only files whose main brand is `heic`; many start with `mif1`.
    """
    file.seek(0)
    head = file.read(64)
    file.seek(0)
    if len(head) < 16 or head[4:8] != b"ftyp":
        return False
    size = min(int.from_bytes(head[:4], "big"), len(head))
    brands = [head[8:12]] + [head[i : i + 4] for i in range(16, size - 3, 4)]
    return any(brand in _HEIC_BRANDS for brand in brands)


PDF = FileKind("PDF", "application/pdf", (".pdf",), _signature("application/pdf"))
DOCX = FileKind(
    "DOCX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
    _ooxml(
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
)
XLSX = FileKind(
    "XLSX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
    _ooxml(
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
)
ODT = FileKind(
    "ODT",
    "application/vnd.oasis.opendocument.text",
    (".odt",),
    _opendocument("application/vnd.oasis.opendocument.text"),
)
ODS = FileKind(
    "ODS",
    "application/vnd.oasis.opendocument.spreadsheet",
    (".ods",),
    _opendocument("application/vnd.oasis.opendocument.spreadsheet"),
)
JPEG = FileKind("JPEG", "image/jpeg", (".jpg", ".jpeg"), _signature("image/jpeg"))
PNG = FileKind("PNG", "image/png", (".png",), _signature("image/png"))
WEBP = FileKind("WebP", "image/webp", (".webp",), _signature("image/webp"))
HEIC = FileKind("HEIC", "image/heic", (".heic", ".heif"), _heic)


def _signatures(file: IO[bytes]) -> frozenset[str]:
    """The types whose magic numbers the file carries (puremagic reads its start and end)."""
    file.seek(0)
    try:
        return frozenset(match.mime_type for match in puremagic.magic_stream(file))
    except (puremagic.PureError, ValueError):  # unknown, or empty
        return frozenset()
    finally:
        file.seek(0)


def too_large_message() -> str:
    return _("The file is larger than %(mb)s MB.") % {
        "mb": settings.MAX_DOCUMENT_SIZE // (1024 * 1024)
    }


class FileTypeValidator:
    """Accepts a file whose content is one of `kinds` and whose size is within the limit."""

    def __init__(self, kinds: tuple[FileKind, ...], message: Promise):
        self.kinds = kinds
        self.message = message

    def detect(self, file) -> FileKind | None:
        """The kind `file`'s content is, among the accepted ones; None when it is none of them."""
        signatures = _signatures(file)
        try:
            return next((kind for kind in self.kinds if kind.matches(file, signatures)), None)
        finally:
            file.seek(0)

    def __call__(self, file) -> None:
        if file.size is not None and file.size > settings.MAX_DOCUMENT_SIZE:
            raise ValidationError(too_large_message(), code="file_too_large")
        if self.detect(file) is None:
            raise ValidationError(self.message, code="file_type")

    @property
    def accept(self) -> str:
        """For <input type=file accept=…>: lets the browser offer the right files first."""
        return ",".join(
            dict.fromkeys(e for kind in self.kinds for e in (*kind.extensions, kind.mime_type))
        )


IMAGES = (JPEG, PNG, WEBP, HEIC)

OPINION = FileTypeValidator((PDF, DOCX), _("This file is not a PDF or DOCX document."))
PHOTO = FileTypeValidator(IMAGES, _("This file is not a photo (JPEG, PNG, WebP or HEIC)."))
PDF_OR_IMAGE = FileTypeValidator(
    (PDF, *IMAGES), _("This file is not a PDF document or an image (JPEG, PNG, WebP or HEIC).")
)
# Anything filed as a document of a customer: papers, spreadsheets, scans and photos.
DOCUMENT = FileTypeValidator(
    (PDF, DOCX, XLSX, ODT, ODS, *IMAGES),
    _(
        "This file is not a PDF, an office document (DOCX, XLSX, ODT, ODS) "
        "or an image (JPEG, PNG, WebP, HEIC)."
    ),
)
