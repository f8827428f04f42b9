"""Signed, expiring links for the customer's page: no log-in, the signature is the secret."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "obieg.pv.customer-link"
DEFAULT_MAX_AGE = 30 * 24 * 3600  # a month: longer than the offer's reminders and escalation


@dataclass(frozen=True)
class LinkTarget:
    project_id: int
    kind: str  # "offer" or "contract"
    object_id: int


def max_age() -> int:
    return int(getattr(settings, "PV_CUSTOMER_LINK_MAX_AGE", DEFAULT_MAX_AGE))


def make_token(project_id: int, kind: str, object_id: int) -> str:
    return signing.TimestampSigner(salt=SALT).sign(f"{project_id}.{kind}.{object_id}")


def read_token(token: str) -> LinkTarget:
    """The target of a token; raises signing.BadSignature (or SignatureExpired)."""
    value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=max_age())
    project_id, kind, object_id = value.split(".")
    return LinkTarget(int(project_id), kind, int(object_id))


def customer_url(token: str) -> str:
    base = settings.PUBLIC_URL
    return base + reverse("pv:customer", args=[token])
