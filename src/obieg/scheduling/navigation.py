"""Links that take a crew from an address to a map app: built here, nothing fetched.

No geocoding service is asked at run time: the address text goes into the
link and the phone's own map app finds it. Two forms, because phones differ:
the maps URL opens Google Maps (app or page) on any phone or desktop and
starts directions; a `geo:` URI (RFC 5870, with the Android `q` query) lets
an Android phone offer whichever navigation app the installer uses.
"""

from __future__ import annotations

from urllib.parse import quote

# Long enough for any street address; a pasted essay would only make a useless link.
MAX_ADDRESS = 300


def _clean(address: str) -> str:
    return " ".join((address or "").split())[:MAX_ADDRESS]


def directions_url(address: str) -> str:
    """Directions to `address` in Google Maps (the app when installed), or "" without one."""
    address = _clean(address)
    if not address:
        return ""
    return f"https://www.google.com/maps/dir/?api=1&destination={quote(address, safe='')}"


def geo_uri(address: str) -> str:
    """A `geo:` URI searching for `address` in the phone's map app, or "" without one."""
    address = _clean(address)
    return f"geo:0,0?q={quote(address, safe='')}" if address else ""
