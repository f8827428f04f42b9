"""The client side of CalDAV (RFC 4791), behind a small interface.

`sync` speaks only to `CalendarClient`: put, delete and get one calendar
object by href, and list what changed since a sync token (RFC 6578), or,
for a server without sync tokens, every object with its etag. The one
implementation uses the `caldav` library (1.x, on `requests`).

Errors say whether trying again can help: `CalendarUnavailable` (connection
refused, timeout, 5xx, 429) is retried with back-off, no sooner than the
server's Retry-After; `CalendarRefused` (bad credentials, a 4xx the server
will repeat) waits for a person; `GrantRevoked` (Google took back the OAuth
grant) waits for the person to connect again.

A Google calendar signs in with a bearer token (`oauth.BearerAuth`), any
other with a user name and password.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Protocol
from urllib.parse import quote, unquote, urljoin, urlsplit

import caldav
import requests
from caldav.elements import cdav, dav
from caldav.lib import error as dav_errors
from django.conf import settings
from django.utils import timezone

ICS_TYPE = "text/calendar; charset=utf-8"
_LIST_ETAGS = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>'
)


# Objects fetched per calendar-multiget REPORT (RFC 4791 7.9).
MULTIGET_BATCH = 50


def _multiget_body(paths: list[str]) -> str:
    hrefs = "".join(f"<d:href>{quote(path, safe='/@:')}</d:href>" for path in paths)
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
        f"<d:prop><d:getetag/><c:calendar-data/></d:prop>{hrefs}</c:calendar-multiget>"
    )


class CalendarError(Exception):
    retryable = False
    # Seconds the server asked us to wait (Retry-After), if it said.
    retry_after: float | None = None


class CalendarUnavailable(CalendarError):
    """The server could not be reached or failed; the same request may work later."""

    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class CalendarRefused(CalendarError):
    """The server refused the request; repeating it will not help until someone acts."""


class GrantRevoked(CalendarRefused):
    """The OAuth grant was revoked or expired (`invalid_grant`): the person must connect again."""


def retry_after(headers) -> float | None:
    """Seconds from a Retry-After header (RFC 9110 10.2.3: seconds or an HTTP date)."""
    value = (headers or {}).get("Retry-After", "")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max((moment - timezone.now()).total_seconds(), 0.0)


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

    def get_many(self, hrefs: list[str]) -> dict[str, tuple[str, str, str]]:
        """{href_key: (href, ics, etag)} of the objects that exist among `hrefs`."""


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
        raise CalendarUnavailable(
            f"HTTP {status} {response.reason}", retry_after=retry_after(response.headers)
        )
    raise CalendarRefused(f"HTTP {status} {response.reason}")


class CaldavClient:
    """A `CalendarClient` for one calendar collection, through the `caldav` library."""

    def __init__(
        self,
        url: str,
        *,
        username: str = "",
        password: str = "",
        auth=None,
        timeout: float | None = None,
        sync_collection: bool = True,
    ):
        self.url = url if url.endswith("/") else url + "/"
        self.sync_collection = sync_collection
        self.client = caldav.DAVClient(
            url=self.url,
            username=username or None,
            password=password or None,
            auth=auth,
            timeout=timeout or getattr(settings, "SCHEDULING_CALDAV_TIMEOUT", 15),
        )
        self.calendar = self.client.calendar(url=self.url)
        # The library turns a failed REPORT into an exception without its status or
        # headers: the last response's status and Retry-After are kept here, so that a
        # 429 or 503 is still told apart from a server that has no such report.
        self._last_status = 0
        self._retry_after: float | None = None
        self.client.session.hooks["response"].append(self._remember_status)

    def _remember_status(self, response, *args, **kwargs):
        self._last_status = response.status_code
        self._retry_after = retry_after(response.headers)
        return response

    def _unavailable(self, error: Exception) -> CalendarUnavailable | None:
        """A 5xx or 429 the `caldav` library reported as a DAVError: a retry may help."""
        status = self._last_status
        if status in (408, 429) or status >= 500:
            return CalendarUnavailable(
                f"HTTP {status}: {error}"[:500], retry_after=self._retry_after
            )
        return None

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
        except dav_errors.DAVError as error:
            unavailable = self._unavailable(error)
            if unavailable is not None:
                raise unavailable from error
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

    def get_many(self, hrefs: list[str]) -> dict[str, tuple[str, str, str]]:
        found: dict[str, tuple[str, str, str]] = {}
        for first in range(0, len(hrefs), MULTIGET_BATCH):
            batch = hrefs[first : first + MULTIGET_BATCH]
            try:
                found.update(self._multiget(batch))
            except CalendarRefused:
                # A server without calendar-multiget: one GET per object.
                for href in batch:
                    fetched = self.get(href)
                    if fetched is not None:
                        found[href_key(href)] = (href, fetched[0], fetched[1])
        return found

    def _multiget(self, hrefs: list[str]) -> dict[str, tuple[str, str, str]]:
        paths = [href_key(urljoin(self.url, href)) for href in hrefs]
        response = self._request(self.url, "REPORT", _multiget_body(paths), {"Depth": "1"})
        _check(response, 207)
        found = {}
        props = response.expand_simple_props([cdav.CalendarData(), dav.GetEtag()])
        for href, values in props.items():
            data = values.get(cdav.CalendarData.tag)
            if data:
                full = urljoin(self.url, href)
                found[href_key(full)] = (full, data, values.get(dav.GetEtag.tag) or "")
        return found

    def calendars(self) -> list[tuple[str, str]]:
        """(URL, name) of the calendars of the signed-in account that hold events.

        RFC 4791 discovery from the client's URL: the current user's principal, its
        calendar home, the calendars in it (how Google's CalDAV endpoint lists the
        calendars of a Google account).
        """
        try:
            principal = self.client.principal()
            self._principal_url = str(principal.url)
            found = principal.calendars()
            result = []
            for calendar in found:
                name = calendar.get_display_name() or ""
                result.append((str(calendar.url), name or _last_segment(str(calendar.url))))
            return result
        except requests.RequestException as error:
            raise CalendarUnavailable(str(error) or type(error).__name__) from error
        except dav_errors.DAVError as error:
            unavailable = self._unavailable(error)
            if unavailable is not None:
                raise unavailable from error
            raise CalendarRefused(str(error)) from error

    def account_name(self) -> str:
        """The signed-in account as the server names it (Google: the e-mail address)."""
        url = getattr(self, "_principal_url", "")
        parts = [unquote(part) for part in urlsplit(url).path.split("/") if part]
        # Google's principal is ".../caldav/v2/<e-mail>/user".
        if len(parts) >= 2 and parts[-1] == "user":
            return parts[-2]
        return parts[-1] if parts else ""


def _last_segment(url: str) -> str:
    parts = [part for part in urlsplit(url).path.split("/") if part]
    # Google's calendars end in ".../<calendar id>/events/": the id names them.
    if len(parts) >= 2 and parts[-1] == "events":
        return unquote(parts[-2])
    return unquote(parts[-1]) if parts else url


def client_for(account) -> CalendarClient:
    """The client for a CalDAVAccount: its decrypted password, or its Google grant's token."""
    from obieg.scheduling import crypto

    if account.grant_id:
        from obieg.scheduling import oauth

        return CaldavClient(account.url, auth=oauth.BearerAuth(account.grant))
    return CaldavClient(
        account.url,
        username=account.username,
        password=crypto.decrypt(account.password_encrypted),
    )
