"""The address a request comes from: the one place that decides it.

Behind a reverse proxy every request arrives from the proxy's own address, so
anything keyed on `REMOTE_ADDR` (the public lead form's rate limit, the log-in
lock-out) would treat every visitor as one. The proxy appends the address it
saw to `X-Forwarded-For`; that header is believed only when the request comes
from a configured trusted proxy (`TRUSTED_PROXIES`), because anyone else can
write any address into it. Reading the header from the right, each entry a
trusted proxy added is skipped: the first untrusted one is the client as seen
by the outermost trusted proxy. Entries further left were written by the
client and prove nothing.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Headers a proxy sets about the original request; from anyone else they are forged.
PROXY_ONLY_HEADERS = ("HTTP_X_FORWARDED_PROTO",)


def client_ip(request) -> str | None:
    """The client's IP address, or None when the request carries no usable one."""
    peer = parse_address(request.META.get("REMOTE_ADDR", ""))
    if peer is None or not is_trusted_proxy(peer):
        return str(peer) if peer else None
    hops = request.META.get(forwarded_for_key(), "").split(",")
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            # A trusted proxy writes real addresses; anything else means the chain is
            # not what we think, and the proxy itself is the only address known for sure.
            return str(peer)
        if not is_trusted_proxy(address):
            return str(address)
        peer = address
    # Every hop is a proxy of ours (a health check from inside, say): the left-most one.
    return str(peer)


def is_trusted_proxy(address: Address) -> bool:
    return any(address in network for network in trusted_networks(tuple(settings.TRUSTED_PROXIES)))


def forwarded_for_key() -> str:
    """The request.META key of the configured header (X-Forwarded-For by default)."""
    return "HTTP_" + settings.TRUSTED_PROXY_HEADER.upper().replace("-", "_")


@lru_cache(maxsize=8)
def trusted_networks(values: tuple[str, ...]) -> tuple[Network, ...]:
    """TRUSTED_PROXIES as networks; settings.py has already rejected bad entries."""
    return tuple(ipaddress.ip_network(value, strict=False) for value in values)


def parse_address(value: str) -> Address | None:
    """An IP address from a header entry, allowing a port ("1.2.3.4:80", "[::1]:80")."""
    value = value.strip()
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


class ProxyHeadersMiddleware:
    """Drops proxy-only headers (X-Forwarded-Proto) that did not come from a trusted proxy.

    Django's SECURE_PROXY_SSL_HEADER believes the header from whoever sent it; if
    the server is also reachable directly, a client could claim https over plain
    http. It goes first in MIDDLEWARE, before SecurityMiddleware reads the scheme.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        peer = parse_address(request.META.get("REMOTE_ADDR", ""))
        if peer is None or not is_trusted_proxy(peer):
            for key in PROXY_ONLY_HEADERS:
                request.META.pop(key, None)
        return self.get_response(request)
