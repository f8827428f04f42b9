"""Signed, expiring links a customer opens without an account: the one way Obieg makes them.

A link's token is its key: it names a record (and what must still hold for
it to work), is signed with the site's secret under a salt of its own — a
token made for one purpose never opens another — and carries the moment it
was made, so it expires. What the record says now decides what the page
offers (an answered offer or a replaced contract says so and changes
nothing); the token only proves the customer was sent the link.

Each kind of link is one `CustomerLink` kept beside the pages it opens
(`sales.offer_acceptance.OFFER_LINK`, `grants.links`,
`expert_opinions.links`, `pv_installation.links`). Pages behind such a link
answer through `keep_private`, so the token does not leak to other sites
or into caches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.urls import reverse


class LinkInvalid(signing.BadSignature):
    """Forged, cut short, made for another purpose, or naming something malformed."""


class LinkExpired(LinkInvalid):
    """Genuine, but older than its kind allows."""


@dataclass(frozen=True)
class CustomerLink:
    """One kind of link: its salt, how long it stays valid and the page it opens.

    `max_age_setting` names a setting (in seconds) that overrides `max_age`,
    read each time a token is opened. `text` keeps a plain-text payload
    ("12.offer.34") for links made before this module, so the links already
    in customers' mailboxes keep opening; new kinds carry JSON.
    """

    salt: str
    max_age: timedelta
    view_name: str = ""
    max_age_setting: str = ""
    text: bool = False

    def valid_for(self) -> timedelta:
        if self.max_age_setting and hasattr(settings, self.max_age_setting):
            return timedelta(seconds=int(getattr(settings, self.max_age_setting)))
        return self.max_age

    def _signer(self) -> signing.TimestampSigner:
        return signing.TimestampSigner(salt=self.salt)

    def token(self, value: Any) -> str:
        if self.text:
            return self._signer().sign(str(value))
        return self._signer().sign_object(value, serializer=signing.JSONSerializer)

    def read(self, token: str) -> Any:
        """The value the token was made with; LinkExpired or LinkInvalid otherwise."""
        max_age = self.valid_for()
        try:
            if self.text:
                return self._signer().unsign(token, max_age=max_age)
            return self._signer().unsign_object(
                token, serializer=signing.JSONSerializer, max_age=max_age
            )
        except signing.SignatureExpired as error:
            raise LinkExpired(str(error)) from error
        except (signing.BadSignature, ValueError, UnicodeDecodeError) as error:
            # ValueError: a genuine signature over a value that is not JSON (never ours).
            raise LinkInvalid(str(error)) from error

    def url(self, token: str, view_name: str = "") -> str:
        """The absolute address for an e-mail (the site's configured public address)."""
        return settings.PUBLIC_URL + reverse(view_name or self.view_name, args=[token])


def keep_private(response: HttpResponse) -> HttpResponse:
    """Keep the token in the address to ourselves: no referrer to other sites, no caching.

    "same-origin", not "no-referrer": the page's own form must still send its
    Origin, or the CSRF check fails.
    """
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
