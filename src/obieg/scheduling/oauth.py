"""OAuth 2.0 with Google (authorisation code + PKCE, refresh, revocation) through `authlib`.

The person consents on Google's page; Google sends a one-time code back to
Obieg's callback, which exchanges it — with the PKCE verifier only this
session knows — for a refresh token (kept encrypted, `crypto`) and an access
token of about an hour. Access tokens are renewed before they expire (and
once more if Google answers 401 anyway). A refresh answered `invalid_grant`
means the person or Google took the grant back: the grant is marked revoked
and the calendar waits for "Reconnect", its unsent changes kept in Obieg.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from obieg.core.errors import ApplicationError
from obieg.scheduling import crypto, google_config
from obieg.scheduling.caldav_sync import (
    CalendarRefused,
    CalendarUnavailable,
    GrantRevoked,
    retry_after,
)
from obieg.scheduling.models import OAuthGrant

logger = logging.getLogger(__name__)

# RFC 7636: 43 to 128 characters; letters and digits are all allowed.
VERIFIER_LENGTH = 64


class NotConfigured(ApplicationError):
    """No Google OAuth client is set up (client id and secret)."""


def _timeout() -> float:
    return float(getattr(settings, "SCHEDULING_CALDAV_TIMEOUT", 15))


def _refuse_busy_endpoint(response):
    """429 and 5xx from the token endpoint are passing: retried with back-off, not a refusal."""
    if response.status_code == 429 or response.status_code >= 500:
        raise CalendarUnavailable(
            f"Google token endpoint: HTTP {response.status_code}",
            retry_after=retry_after(response.headers),
        )
    return response


def _session() -> OAuth2Session:
    client = google_config.credentials()
    if not client.complete:
        raise NotConfigured(
            _("Google Calendar is not set up: an administrator enters the client ID and secret.")
        )
    session = OAuth2Session(
        client.client_id,
        client.client_secret,
        scope=google_config.scope(),
        redirect_uri=google_config.redirect_uri(),
        code_challenge_method="S256",
        default_timeout=_timeout(),
    )
    session.register_compliance_hook("access_token_response", _refuse_busy_endpoint)
    session.register_compliance_hook("refresh_token_response", _refuse_busy_endpoint)
    return session


def authorization_request() -> tuple[str, str, str]:
    """(URL of Google's consent page, state, PKCE verifier): the last two stay in the session."""
    verifier = generate_token(VERIFIER_LENGTH)
    with _session() as session:
        url, state = session.create_authorization_url(
            google_config.authorize_url(),
            code_verifier=verifier,
            # A refresh token (offline), asked for again on every consent: Google gives
            # one only with the first consent otherwise, and a reconnect needs a new one.
            access_type="offline",
            prompt="consent",
        )
    return url, state, verifier


def exchange_code(code: str, verifier: str) -> dict:
    """The tokens for the code Google sent back (the verifier proves this session asked)."""
    try:
        with _session() as session:
            token = session.fetch_token(
                google_config.token_url(),
                grant_type="authorization_code",
                code=code,
                code_verifier=verifier,
            )
    except OAuthError as error:
        raise ApplicationError(
            _("Google did not accept the sign-in (%(error)s); try connecting again.")
            % {"error": error.error}
        ) from error
    except (requests.RequestException, CalendarUnavailable) as error:
        raise ApplicationError(_("Google cannot be reached now; try again later.")) from error
    if not token.get("refresh_token"):
        raise ApplicationError(
            _("Google gave no lasting access (no refresh token); try connecting again.")
        )
    return dict(token)


def store_token(grant: OAuthGrant, token: dict) -> None:
    """Put Google's answer into the grant (the refresh token only when a new one came)."""
    now = timezone.now()
    if token.get("refresh_token"):
        grant.refresh_token_encrypted = crypto.encrypt(token["refresh_token"])
    grant.access_token_encrypted = crypto.encrypt(token.get("access_token", ""))
    expires_in = token.get("expires_in")
    if expires_in is not None:
        grant.access_expires_at = now + timedelta(seconds=int(expires_in))
    elif token.get("expires_at"):
        grant.access_expires_at = datetime.fromtimestamp(int(token["expires_at"]), tz=UTC)
    else:
        grant.access_expires_at = now + timedelta(hours=1)
    if token.get("scope"):
        grant.scope = str(token["scope"])[:500]
    grant.last_refreshed_at = now


def _fresh(grant: OAuthGrant) -> bool:
    if not grant.access_token_encrypted or grant.access_expires_at is None:
        return False
    margin = timedelta(seconds=google_config.refresh_margin())
    return grant.access_expires_at - margin > timezone.now()


def access_token(grant: OAuthGrant, *, force: bool = False) -> str:
    """A valid access token for the grant, renewed first when it is about to expire."""
    grant.refresh_from_db(
        fields=[
            "refresh_token_encrypted",
            "access_token_encrypted",
            "access_expires_at",
            "revoked_at",
        ]
    )
    if grant.revoked_at is not None:
        raise GrantRevoked(_("Google access was revoked; reconnect the calendar."))
    if not force and _fresh(grant):
        return crypto.decrypt(grant.access_token_encrypted)
    try:
        with _session() as session:
            token = session.refresh_token(
                google_config.token_url(),
                refresh_token=crypto.decrypt(grant.refresh_token_encrypted),
            )
    except OAuthError as error:
        if error.error == "invalid_grant":
            OAuthGrant.objects.filter(pk=grant.pk).update(revoked_at=timezone.now())
            grant.revoked_at = timezone.now()
            raise GrantRevoked(_("Google access was revoked; reconnect the calendar.")) from error
        raise CalendarRefused(f"Google: {error.error} {error.description}".strip()) from error
    except NotConfigured as error:
        raise CalendarRefused(error.message) from error
    except requests.RequestException as error:
        raise CalendarUnavailable(str(error) or type(error).__name__) from error
    store_token(grant, dict(token))
    OAuthGrant.objects.filter(pk=grant.pk).update(
        refresh_token_encrypted=grant.refresh_token_encrypted,
        access_token_encrypted=grant.access_token_encrypted,
        access_expires_at=grant.access_expires_at,
        scope=grant.scope,
        last_refreshed_at=grant.last_refreshed_at,
    )
    return token["access_token"]


def revoke(grant: OAuthGrant) -> bool:
    """Tell Google to forget the grant (RFC 7009); False when it could not be told."""
    token = crypto.decrypt(grant.refresh_token_encrypted) if grant.refresh_token_encrypted else ""
    if not token:
        return True
    try:
        with _session() as session:
            response = session.revoke_token(
                google_config.revoke_url(), token=token, token_type_hint="refresh_token"
            )
    except (NotConfigured, requests.RequestException) as error:
        logger.warning("Google grant %s not revoked: %s", grant.pk, error)
        return False
    # 400 invalid_token: Google already forgot it, which is what was asked.
    return response.status_code in (200, 400)


class BearerAuth(requests.auth.AuthBase):
    """`requests` authentication with the grant's access token (RFC 6750).

    A 401 although the token looked valid (revoked or expired early) is
    answered by renewing the token once and sending the request again.
    """

    def __init__(self, grant: OAuthGrant):
        self.grant = grant

    def __call__(self, request):
        request.headers["Authorization"] = f"Bearer {access_token(self.grant)}"
        request.register_hook("response", self._renew_on_401)
        return request

    def _renew_on_401(self, response, **kwargs):
        if response.status_code != 401 or getattr(response.request, "obieg_renewed", False):
            return response
        token = access_token(self.grant, force=True)
        response.content  # noqa: B018 - read it, so the connection can be reused
        response.close()
        again = response.request.copy()
        again.headers["Authorization"] = f"Bearer {token}"
        again.obieg_renewed = True
        renewed = response.connection.send(again, **kwargs)
        renewed.history.append(response)
        renewed.request = again
        return renewed
