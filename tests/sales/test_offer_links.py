"""The one signed-link mechanism (core.customer_links) that offers, PV, grants and opinions use."""

from datetime import timedelta

import pytest
from django.core import signing

from obieg.core.customer_links import CustomerLink, LinkExpired, LinkInvalid
from obieg.sales.offer_acceptance import OFFER_LINK
from obieg.solutions.grants import links as grants_links
from obieg.solutions.pv_installation import links as pv_links

LINK = CustomerLink(salt="tests.link", max_age=timedelta(days=1), view_name="offer_customer")


def test_a_token_opens_only_what_it_was_made_for():
    token = LINK.token({"offer": 7})
    assert LINK.read(token) == {"offer": 7}
    with pytest.raises(LinkInvalid):
        LINK.read(token[:-2] + "xx")
    with pytest.raises(LinkInvalid):  # another purpose, another salt
        OFFER_LINK.read(token)
    with pytest.raises(LinkInvalid):
        LINK.read("not-a-token")


def test_a_token_expires_and_says_so(settings):
    token = OFFER_LINK.token({"offer": 7})
    settings.OFFER_LINK_MAX_AGE = -1
    with pytest.raises(LinkExpired):
        OFFER_LINK.read(token)
    expired = CustomerLink(salt="tests.link", max_age=timedelta(seconds=-1))
    with pytest.raises(LinkExpired):
        expired.read(LINK.token({"offer": 7}))


def test_the_url_is_absolute_with_the_public_address(settings):
    settings.PUBLIC_URL = "https://crm.example.pl"
    assert LINK.url("abc:def") == "https://crm.example.pl/offer/abc:def/"


def test_links_already_sent_by_pv_and_grants_still_open():
    """Tokens made the old way (before the shared module) read the same."""
    old_pv = signing.TimestampSigner(salt="obieg.pv.customer-link").sign("3.offer.9")
    assert pv_links.read_token(old_pv) == pv_links.LinkTarget(3, "offer", 9)
    old_grants = signing.dumps({"measurement": 4}, salt="grants.measurement")
    assert grants_links.MEASUREMENT_LINK.read(old_grants) == {"measurement": 4}
