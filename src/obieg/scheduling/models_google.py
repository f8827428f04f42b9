"""Google Calendar: the OAuth client an administrator registers, and each person's grant.

The client id and secret come from the Google Cloud console (docs/calendar.md);
environment variables may provide them instead (`google_config`). A grant is
what one Google account allowed: its refresh token, stored encrypted like
CalDAV passwords (`crypto`), and the short-lived access token sent to
Google's CalDAV endpoint as a bearer token.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GoogleClientSettings(models.Model):
    """The one OAuth client of this installation (a single row, pk 1)."""

    client_id = models.CharField(_("client ID"), max_length=300, blank=True)
    client_secret_encrypted = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Google Calendar client")
        verbose_name_plural = _("Google Calendar client")

    def __str__(self) -> str:
        return self.client_id or "—"


class OAuthGrant(models.Model):
    """What a Google account allowed Obieg to do with its calendars.

    Kept when the account revokes it (`revoked_at`): the calendar link, the
    sync state and the changes waiting to be sent stay, and connecting again
    puts a new refresh token into the same grant.
    """

    provider = models.CharField(max_length=20, default="google", editable=False)
    account_name = models.CharField(_("account"), max_length=300, blank=True)
    scope = models.CharField(max_length=500, blank=True, editable=False)
    refresh_token_encrypted = models.TextField(blank=True, editable=False)
    access_token_encrypted = models.TextField(blank=True, editable=False)
    access_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_refreshed_at = models.DateTimeField(null=True, blank=True, editable=False)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Google connection")
        verbose_name_plural = _("Google connections")

    def __str__(self) -> str:
        return self.account_name or f"Google #{self.pk}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
