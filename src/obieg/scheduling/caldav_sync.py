"""The client side of CalDAV (RFC 4791), behind a small interface.

`sync` speaks only to `CalendarClient`: put, delete and get one calendar
object by href, and list what changed since a sync token (RFC 6578), or,
for a server without sync tokens, every object with its etag. The one
implementation uses the `caldav` library (1.x, on `requests`).

Errors say whether trying again can help: `CalendarUnavailable` (connection
refused, timeout, 5xx) is retried with back-off; `CalendarRefused` (bad
credentials, a 4xx the server will repeat) waits for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote, unquote, urljoin, urlsplit

import caldav
import requests
from caldav.elements import dav
from caldav.lib import error as dav_errors
from django.conf import settings

ICS_TYPE = "text/calendar; charset=utf-8"
_LIST_ETAGS = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>'
)


class CalendarError(Exception):
    retryable = False


class CalendarUnavailable(CalendarError):
    """The server could not be reached or failed; the same request may work later."""

    retryable = True


class CalendarRefused(CalendarError):
    """The server refused the request; repeating it will not help until someone acts."""


class EtagMismatch(CalendarError):
    """The object changed on the server since we last saw it (HTTP 412)."""


@dataclass(frozen=True)
class RemoteItem:
    href: str
    etag: str | None  # None: the object was deleted


@dataclass(frozen=True)
class Changes:
    items: list[RemoteItem]
    token: str
    # A complete listing names every object: one we hold but it omits is gone.
    complete: bool


class CalendarClient(Protocol):
    def href_for(self, uid: str) -> str: ...

    def put(self, href: str, ics: str, *, etag: str | None = None, create: bool = False) -> str:
        """Store `ics` at `href`; returns the new etag ("" when the server gives none)."""

    def delete(self, href: str, *, etag: str | None = None) -> None: ...

    def get(self, href: str) -> tuple[str, str] | None:
        """(ics, etag) of the object, or None when it does not exist."""

    def changes(self, token: str) -> Changes: ...


def href_key(href: str) -> str:
    """The path of `href`, unquoted: the same object whichever way a server spells it."""
    return unquote(urlsplit(href).path)


def _check(response, *ok: int) -> None:
    status = response.status
    if status in ok:
        return
    if status == 412:
        raise EtagMismatch(f"HTTP 412 {response.reason}")
    if status >= 500 or status in (408, 429):
        raise CalendarUnavailable(f"HTTP {status} {response.reason}")
    raise CalendarRefused(f"HTTP {status} {response.reason}")


class CaldavClient:
    """A `CalendarClient` for one calendar collection, through the `caldav` library."""

    def __init__(
        self,
        url: str,
        *,
        username: str = "",
        password: str = "",
        timeout: float | None = None,
        sync_collection: bool = True,
    ):
        self.url = url if url.endswith("/") else url + "/"
        self.sync_collection = sync_collection
        self.client = caldav.DAVClient(
            url=self.url,
            username=username or None,
            password=password or None,
            timeout=timeout or getattr(settings, "SCHEDULING_CALDAV_TIMEOUT", 15),
        )
        self.calendar = self.client.calendar(url=self.url)

    def _request(self, href: str, method: str, body: str = "", headers=None):
        try:
            return self.client.request(href, method, body, headers or {})
        except requests.RequestException as error:
            raise CalendarUnavailable(str(error) or type(error).__name__) from error
        except dav_errors.AuthorizationError as error:
            raise CalendarRefused(str(error)) from error
        except dav_errors.DAVError as error:
            raise CalendarRefused(str(error)) from error

    def href_for(self, uid: str) -> str:
        return urljoin(self.url, quote(uid, safe="") + ".ics")

    def put(self, href: str, ics: str, *, etag: str | None = None, create: bool = False) -> str:
        headers = {"Content-Type": ICS_TYPE}
        if create:
            headers["If-None-Match"] = "*"
        elif etag:
            headers["If-Match"] = etag
        response = self._request(href, "PUT", ics, headers)
        _check(response, 200, 201, 204)
        return response.headers.get("ETag", "")

    def delete(self, href: str, *, etag: str | None = None) -> None:
        headers = {"If-Match": etag} if etag else {}
        response = self._request(href, "DELETE", "", headers)
        _check(response, 200, 204, 404)

    def get(self, href: str) -> tuple[str, str] | None:
        response = self._request(href, "GET")
        if response.status in (404, 410):
            return None
        _check(response, 200)
        return response.raw, response.headers.get("ETag", "")

    def changes(self, token: str) -> Changes:
        if not self.sync_collection:
            return self._listing()
        try:
            found = self.calendar.objects_by_sync_token(token or None, load_objects=False)
        except requests.RequestException as error:
            raise CalendarUnavailable(str(error) or type(error).__name__) from error
        except dav_errors.AuthorizationError as error:
            if not token:
                raise CalendarRefused(str(error)) from error
            # RFC 6578 3.2: a token the server no longer knows is refused with
            # 403 valid-sync-token; start over from a full listing.
            return self.changes("")
        except dav_errors.DAVError:
            # No sync-collection REPORT on this server: compare etags instead.
            return self._listing()
        items = [
            RemoteItem(href=str(item.url), etag=item.props.get(dav.GetEtag.tag)) for item in found
        ]
        return Changes(items=items, token=found.sync_token or "", complete=not token)

    def _listing(self) -> Changes:
        response = self._request(self.url, "PROPFIND", _LIST_ETAGS, {"Depth": "1"})
        _check(response, 207)
        items = []
        own_path = href_key(self.url)
        for href, props in response.find_objects_and_props().items():
            if href_key(urljoin(self.url, href)) == own_path:
                continue
            etag = props.get(dav.GetEtag.tag)
            items.append(
                RemoteItem(href=urljoin(self.url, href), etag=etag.text if etag is not None else "")
            )
        return Changes(items=items, token="", complete=True)


def client_for(account) -> CalendarClient:
    """The client for a CalDAVAccount, with its decrypted password."""
    from obieg.scheduling import crypto

    return CaldavClient(
        account.url,
        username=account.username,
        password=crypto.decrypt(account.password_encrypted),
    )
