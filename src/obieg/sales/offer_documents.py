"""An offer as a PDF, in its customer's language, filed with the customer's documents.

Drawn with WeasyPrint from a template, as the PV offers are. All revisions of
an offer number share one document of the customer (kind "offer"): each
revision's PDF is a new version of it, so the 360° page lists the offer once
and its history keeps every revision that went out. A draft changed after
its PDF was drawn gets a new one when the PDF is asked for again; a status
change does not (the paper is the same), so a sent offer keeps the PDF it
was sent with.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _

from obieg.billing.models import CompanyProfile
from obieg.core import access, audit, clock
from obieg.documents.models import Document, DocumentVersion
from obieg.documents.services import document_add_version, document_upload
from obieg.sales.models import Offer

PDF = "application/pdf"


def customer_language(offer: Offer) -> str:
    """The language of everything the customer gets about the offer: the account's."""
    return offer.account.language or "pl"


def seller() -> CompanyProfile:
    """Billing's company profile; an unnamed one before it is set up (the PDF still draws)."""
    return CompanyProfile.objects.order_by("id").first() or CompanyProfile(name="Obieg")


def formatted_date(value) -> str:
    """A date as the active language writes it (obieg.formats): 06.12.2026 or 2026-12-06."""
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def file_name(offer: Offer) -> str:
    """`oferta-OF-2026-00012-R2.pdf` (`offer-…` in English): the customer's language."""
    with translation.override(customer_language(offer)):
        stem = _("offer")
    return f"{stem}-{offer.number.replace('/', '-')}-R{offer.revision_number}.pdf"


def context(offer: Offer) -> dict[str, Any]:
    company = seller()
    return {
        "offer": offer,
        "account": offer.account,
        "lines": list(offer.lines.all()),
        "totals": offer.totals(),
        "seller": company,
        "place": company.place_of_issue or company.city,
        "today": clock.today(),
    }


def render_pdf(offer: Offer) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is drawn

    with translation.override(customer_language(offer)):
        html = render_to_string("sales/offer_pdf.html", context(offer))
    return HTML(string=html).write_pdf()


# What the paper shows; the status and the answer are not on it.
PAPER_FIELDS = ("number", "revision_number", "title", "valid_until", "notes", "total_gross")
ACCOUNT_FIELDS = ("name", "street", "postal_code", "city", "nip", "language")


def fingerprint(offer: Offer) -> str:
    """A digest of what the PDF shows: the offer, its lines and the customer's address."""
    account = offer.account
    lines = [audit.snapshot(line, skipped={"id", "offer"}) for line in offer.lines.all()]
    shown = {
        "offer": [str(getattr(offer, name)) for name in PAPER_FIELDS],
        "account": [str(getattr(account, name)) for name in ACCOUNT_FIELDS],
        "lines": lines,
    }
    return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()


def is_current(offer: Offer) -> bool:
    """Whether the stored PDF still shows the offer as it is."""
    return offer.pdf_id is not None and offer.pdf_fingerprint == fingerprint(offer)


def _offer_document(offer: Offer) -> Document | None:
    """The document the offer's earlier revisions were filed in, if any."""
    revisions = Offer.objects.filter(number=offer.number).values("pk")
    return (
        Document.objects.filter(
            subject_type=ContentType.objects.get_for_model(Offer),
            subject_id__in=revisions,
            kind=Document.Kind.OFFER,
        )
        .order_by("pk")
        .first()
    )


def _store(offer: Offer, *, actor, content: bytes) -> DocumentVersion:
    file = ContentFile(content, name=file_name(offer))
    comment = f"R{offer.revision_number}"
    document = _offer_document(offer)
    if document is not None:
        return document_add_version(actor=actor, document=document, file=file, comment=comment)
    with translation.override(customer_language(offer)):
        title = _("Offer %(number)s") % {"number": offer.number}
    document = document_upload(
        actor=actor,
        title=title,
        kind=Document.Kind.OFFER,
        file=file,
        account=offer.account,
        subject=offer,
        comment=comment,
    )
    return document.versions.get(number=document.current_version)


@transaction.atomic
def offer_pdf(*, actor, offer: Offer) -> DocumentVersion:
    """The offer's current PDF: the stored one, or a newly drawn version when there is none.

    The offer row is locked while it is drawn, so two clicks on "PDF" make
    one version, not two.
    """
    access.ensure_can_change(actor, offer)
    locked = Offer.objects.select_for_update(of=("self",)).select_related("account")
    offer = locked.get(pk=offer.pk)
    if is_current(offer) and offer.pdf is not None:
        return offer.pdf
    version = _store(offer, actor=actor, content=render_pdf(offer))
    # Not an edit of the offer: no new record revision, so open forms stay valid.
    Offer.objects.filter(pk=offer.pk).update(pdf=version, pdf_fingerprint=fingerprint(offer))
    return version


def pdf_bytes(version: DocumentVersion) -> bytes:
    with version.file.open("rb") as file:
        return file.read()
