"""The client's address: X-Forwarded-For believed only from a trusted proxy."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from obieg.core.client_ip import client_ip
from obieg.solutions.pv_installation import public_lead

PROXY = "10.0.0.1"
CUSTOMER_A = "198.51.100.1"
CUSTOMER_B = "198.51.100.2"


def request_from(peer: str | None, forwarded: str | None = None, **headers):
    meta = {**headers}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **meta)
    if peer is None:
        del request.META["REMOTE_ADDR"]
    else:
        request.META["REMOTE_ADDR"] = peer
    return request


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY, "10.1.0.0/16"]
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"


def test_without_trusted_proxies_the_peer_is_the_client(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("203.0.113.5", forwarded=CUSTOMER_A)) == "203.0.113.5"


def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(behind_proxy):
    assert client_ip(request_from("203.0.113.5", forwarded=CUSTOMER_A)) == "203.0.113.5"


def test_behind_a_trusted_proxy_the_forwarded_client_is_used(behind_proxy):
    assert client_ip(request_from(PROXY, forwarded=CUSTOMER_A)) == CUSTOMER_A


def test_what_the_client_wrote_left_of_the_proxys_entry_is_ignored(behind_proxy):
    # The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the address it saw.
    assert client_ip(request_from(PROXY, forwarded=f"1.2.3.4, {CUSTOMER_A}")) == CUSTOMER_A


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(behind_proxy):
    forwarded = f"1.2.3.4, {CUSTOMER_B}, 10.1.4.2"
    assert client_ip(request_from(PROXY, forwarded=forwarded)) == CUSTOMER_B


def test_a_malformed_entry_falls_back_to_the_proxy_not_to_the_clients_text(behind_proxy):
    assert client_ip(request_from(PROXY, forwarded="not-an-address")) == PROXY
    assert client_ip(request_from(PROXY, forwarded="")) == PROXY


def test_only_trusted_hops_give_the_left_most(behind_proxy):
    assert client_ip(request_from(PROXY, forwarded="10.1.0.7")) == "10.1.0.7"


def test_ports_brackets_and_mapped_addresses_are_understood(behind_proxy):
    assert client_ip(request_from(PROXY, forwarded="198.51.100.1:5123")) == CUSTOMER_A
    assert client_ip(request_from(PROXY, forwarded="[2001:db8::1]:443")) == "2001:db8::1"
    assert client_ip(request_from("::ffff:10.0.0.1", forwarded=CUSTOMER_A)) == CUSTOMER_A


def test_the_header_is_configurable(behind_proxy, settings):
    settings.TRUSTED_PROXY_HEADER = "X-Real-IP"
    request = request_from(PROXY, forwarded="1.2.3.4", HTTP_X_REAL_IP=CUSTOMER_B)
    assert client_ip(request) == CUSTOMER_B


def test_no_usable_address_is_none():
    assert client_ip(request_from(None)) is None
    assert client_ip(request_from("unix-socket")) is None


# The public lead form's rate limit goes through the same rule. It counts the leads taken,
# so the posts are complete ones, to a company with a salesperson to take them.

FORM = {
    "contact_name": "Ewa Nowak",
    "email": "ewa@example.com",
    "postal_code": "31-100",
    "city": "Kraków",
    "consent": "on",
}


@pytest.fixture
def two_posts_a_minute(settings, org):
    settings.PV_LEAD_RATE_LIMIT = (2, 60)
    settings.PV_LEAD_MIN_FILL_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def post_lead_form(client, peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    data = {**FORM, "rendered": public_lead.rendered_stamp()}
    return client.post(reverse("pv:lead_form"), data, **extra)


def test_a_spoofed_forwarded_for_does_not_escape_the_lead_form_limit(
    client, db, behind_proxy, two_posts_a_minute
):
    statuses = [
        post_lead_form(client, "203.0.113.9", forwarded=f"198.51.100.{n}").status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_behind_the_proxy_two_customers_are_throttled_separately(
    client, db, behind_proxy, two_posts_a_minute
):
    assert post_lead_form(client, PROXY, forwarded=CUSTOMER_A).status_code == 200
    assert post_lead_form(client, PROXY, forwarded=CUSTOMER_A).status_code == 200
    assert post_lead_form(client, PROXY, forwarded=CUSTOMER_A).status_code == 429
    assert post_lead_form(client, PROXY, forwarded=CUSTOMER_B).status_code == 200
