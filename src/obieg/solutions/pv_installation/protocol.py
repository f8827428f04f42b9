"""The completion protocol (protokół odbioru) and the warranty card, drawn when both parts are done.

Dated by the day the works were finished — the later of the two parts'
reported days — not by the day someone pressed the last button. The protocol
carries the customer's signature, drawn on the installer's phone, and the
photos the crews uploaded to the project, read from storage and scaled down
so that a dozen phone photos make a PDF of a few megabytes, not fifty.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from PIL import Image, ImageOps, UnidentifiedImageError

from obieg.documents.models import Document
from obieg.solutions.pv_installation import documents
from obieg.solutions.pv_installation.models import PVProject

MAX_PHOTOS = 12
PHOTO_SIDE = 1400  # pixels: sharp at the 85 mm a photo takes on the page
JPEG_QUALITY = 80


@dataclass(frozen=True)
class Photo:
    title: str
    src: str  # a data: URL, so WeasyPrint fetches nothing
    taken_by: str


def crew_member_ids(data: dict[str, Any]) -> list[int]:
    """The people of the crews planned for the works, and whoever was given their tasks."""
    users = get_user_model().objects.filter(
        Q(crews__pk__in=[data.get("roof_crew"), data.get("electrical_crew")])
        | Q(username__in=[data.get("roof_installer") or "", data.get("electrical_installer") or ""])
    )
    return list(users.values_list("pk", flat=True).distinct())


def crew_photos(project: PVProject, data: dict[str, Any]) -> tuple[list[Photo], int]:
    """The installers' photos of the project, oldest first, and how many were left out."""
    found = (
        Document.objects.filter(
            subject_type=ContentType.objects.get_for_model(PVProject),
            subject_id=project.pk,
            kind=Document.Kind.PHOTO,
            created_by__in=crew_member_ids(data),
        )
        .select_related("created_by")
        .order_by("created_at", "id")
    )
    photos: list[Photo] = []
    left_out = 0
    for document in found:
        if len(photos) >= MAX_PHOTOS:  # counted, not read and scaled only to be dropped
            left_out += 1
            continue
        version = document.versions.order_by("-number").first()
        src = _embedded(version.file) if version is not None else None
        if src is None:
            left_out += 1  # a format Pillow cannot draw (HEIC without a plug-in)
            continue
        photos.append(Photo(document.title, src, str(document.created_by or "")))
    return photos, left_out


def _embedded(file) -> str | None:
    try:
        with file.open("rb") as stream, Image.open(stream) as image:
            picture = ImageOps.exif_transpose(image)  # a phone held upright stays upright
            picture.thumbnail((PHOTO_SIDE, PHOTO_SIDE))
            buffer = io.BytesIO()
            picture.convert("RGB").save(buffer, format="JPEG", quality=JPEG_QUALITY)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def store_papers(project: PVProject, data: dict[str, Any], *, author, completed_on: date) -> None:
    """Render the protocol and the warranty and file them with the customer's documents."""
    photos, left_out = crew_photos(project, data)
    extra = {
        "today": completed_on,
        "completed_on": completed_on,
        "photos": photos,
        "photos_left_out": left_out,
        "signature": data.get("customer_signature") or "",
        "signed_by": data.get("signed_by") or "",
    }
    for kind in ("protocol", "warranty"):
        content = documents.pdf(kind, documents.context(project, kind, data, **extra))
        documents.store(
            project,
            actor=author,
            kind=kind,
            title=documents.TITLES[kind],
            content=content,
            name=f"{kind}-{project.pk}.pdf",
        )
