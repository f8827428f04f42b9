"""Signed, expiring links for the customer's page: no log-in, the signature is the secret."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from obieg.core.customer_links import CustomerLink

SALT = "obieg.pv.customer-link"
DEFAULT_MAX_AGE = 30 * 24 * 3600  # a month: longer than the offer's reminders and escalation
# A text payload ("project.kind.object"), as the links already sent carry.
LINK = CustomerLink(
    salt=SALT,
    max_age=timedelta(seconds=DEFAULT_MAX_AGE),
    view_name="pv:customer",
    max_age_setting="PV_CUSTOMER_LINK_MAX_AGE",
    text=True,
)


@dataclass(frozen=True)
class LinkTarget:
    project_id: int
    kind: str  # "offer" or "contract"
    object_id: int


def make_token(project_id: int, kind: str, object_id: int) -> str:
    return LINK.token(f"{project_id}.{kind}.{object_id}")


def read_token(token: str) -> LinkTarget:
    """The target of a token; raises LinkInvalid (a signing.BadSignature) or LinkExpired."""
    project_id, kind, object_id = LINK.read(token).split(".")
    return LinkTarget(int(project_id), kind, int(object_id))


def customer_url(token: str) -> str:
    return LINK.url(token)
