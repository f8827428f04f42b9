"""Real files of each kind, made on the spot, and impostors named like them."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from obieg.demo.files import tiny_pdf

# A Windows program starts with "MZ"; this is the start of one, enough for any sniffer.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


def pdf() -> bytes:
    return tiny_pdf("Opinia")


def docx() -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph("Opinia biegłego")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def image(kind: str = "JPEG") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "orange").save(buffer, kind)
    return buffer.getvalue()


def heic() -> bytes:
    """The start of an iPhone photo: an `ftyp` box with main brand mif1 and the heic brand."""
    return b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1heicmiaf" + b"\x00" * 64


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def plain_zip() -> bytes:
    return zipped({"notatki.txt": b"to nie jest dokument Worda"})


def docm() -> bytes:
    """A macro-enabled Word file: its main part has the macro-enabled type."""
    with zipfile.ZipFile(io.BytesIO(docx())) as original:
        parts = {name: original.read(name) for name in original.namelist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0"
    return zipped(parts)


def odt() -> bytes:
    return zipped(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b"<office:document-content/>",
        }
    )


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    """What a browser sends: the name and type are whatever the sender says."""
    return SimpleUploadedFile(name, content, content_type=content_type)
