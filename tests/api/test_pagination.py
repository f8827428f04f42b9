"""Keyset pagination: walking every page, forwards and back, under any ordering."""

from __future__ import annotations

import base64
import datetime
import json
from decimal import Decimal

import pytest

from tests.factories import AccountFactory, OpportunityFactory


def _walk(api, url, params, link="next"):
    """Ids of every row, following `link` from the first response."""
    response = api.get(url, params)
    pages = [response]
    while response.data[link]:
        response = api.get(response.data[link])
        assert response.status_code == 200, response.data
        pages.append(response)
    return [row["id"] for page in pages for row in page.data["results"]], pages


@pytest.fixture
def opportunities(org, sara_account):
    # Ties on stage and value, and NULL expected_close dates, on purpose.
    rows = []
    for index in range(23):
        rows.append(
            OpportunityFactory(
                account=sara_account,
                owner=org.sara,
                stage=["proposal", "negotiation"][index % 2],
                value=Decimal(1000 * (index % 4)),
                expected_close=None
                if index % 3 == 0
                else datetime.date(2026, 1, 1) + datetime.timedelta(days=index % 5),
            )
        )
    return rows


@pytest.mark.parametrize(
    "ordering",
    ["", "stage", "-stage", "value", "-value", "expected_close", "-expected_close", "name"],
)
def test_every_row_appears_once_in_the_requested_order(api, opportunities, ordering):
    params = {"page_size": 4, **({"ordering": ordering} if ordering else {})}
    ids, pages = _walk(api, "/api/opportunities/", params)
    assert len(pages) == 6
    assert sorted(ids) == sorted(o.pk for o in opportunities)

    full = api.get("/api/opportunities/", {**params, "page_size": 100}).data["results"]
    assert ids == [row["id"] for row in full]


def test_walking_back_from_the_last_page_gives_the_same_rows(api, opportunities):
    params = {"page_size": 5, "ordering": "-expected_close"}
    forward, pages = _walk(api, "/api/opportunities/", params)
    assert pages[0].data["previous"] is None
    last = pages[-1]
    backward = [row["id"] for row in last.data["results"]]
    while last.data["previous"]:
        last = api.get(last.data["previous"])
        backward = [row["id"] for row in last.data["results"]] + backward
    assert backward == forward


def test_filters_and_search_combine_with_pagination(api, org):
    for index in range(7):
        AccountFactory(owner=org.sara, name=f"Słoneczna {index}", city="Lublin")
    AccountFactory(owner=org.sara, name="Inna", city="Lublin")
    AccountFactory(owner=org.sara, name="Słoneczna Warszawa", city="Warszawa")
    ids, pages = _walk(
        api, "/api/accounts/", {"search": "słoneczna", "city": "lublin", "page_size": 3}
    )
    assert len(ids) == len(set(ids)) == 7
    assert len(pages) == 3


def test_garbled_cursor_is_404_not_500(api, opportunities):
    for cursor in ["garbage", "eyJyIjowfQ", "e30", "!!!"]:
        response = api.get("/api/opportunities/", {"cursor": cursor})
        assert response.status_code == 404, cursor


def test_cursor_of_another_ordering_is_refused(api, opportunities):
    next_link = api.get("/api/opportunities/", {"page_size": 2}).data["next"]
    # Same number of fields, same types: only the ordering tells them apart.
    assert api.get(next_link + "&ordering=-updated_at").status_code == 404


def test_unknown_ordering_field_falls_back_to_the_default(api, opportunities):
    response = api.get("/api/opportunities/", {"ordering": "owner__password"})
    assert response.status_code == 200
    default = api.get("/api/opportunities/")
    ids = [row["id"] for row in response.data["results"]]
    assert ids and ids == [row["id"] for row in default.data["results"]]


@pytest.mark.parametrize("size", ["abc", "2.5", "1e3", "null", "--5", "²"])
def test_a_page_size_that_is_no_whole_number_is_a_400(api, opportunities, size):
    response = api.get("/api/opportunities/", {"page_size": size})
    assert response.status_code == 400
    assert "page_size" in response.data and response.data["detail"]


@pytest.mark.parametrize(("size", "rows"), [("", 50), ("0", 50), ("-3", 50), ("2", 2)])
def test_an_empty_or_non_positive_page_size_means_the_default(api, opportunities, size, rows):
    response = api.get("/api/opportunities/", {"page_size": size})
    assert response.status_code == 200
    assert len(response.data["results"]) == min(rows, len(opportunities))


@pytest.mark.parametrize("params", [{}, {"ordering": "-id"}, {"ordering": "id"}])
def test_ordering_by_the_key_alone_keeps_its_direction(api, opportunities, params):
    """The default, newest first, is `-id` alone: it must not come out oldest first."""
    descending = params.get("ordering", "-id") == "-id"
    expected = sorted((o.pk for o in opportunities), reverse=descending)

    ids, pages = _walk(api, "/api/opportunities/", {**params, "page_size": 5})

    assert ids == expected
    last = pages[-1]
    backward = [row["id"] for row in last.data["results"]]
    while last.data["previous"]:
        last = api.get(last.data["previous"])
        backward = [row["id"] for row in last.data["results"]] + backward
    assert backward == expected


def test_a_cursor_beyond_any_id_is_a_404(api, opportunities):
    next_link = api.get("/api/opportunities/", {"page_size": 2}).data["next"]
    cursor = next_link.split("cursor=")[1].split("&")[0]
    payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    payload["v"][-1] = str(2**64)
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()
    assert api.get("/api/opportunities/", {"page_size": 2, "cursor": forged}).status_code == 404
