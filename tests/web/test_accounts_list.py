"""The account list: search, filters, sorting, keyset pages and who sees what."""

import pytest
from django.urls import reverse

from obieg.core import pagination
from obieg.crm.models import Account
from tests.factories import AccountFactory

LIST = reverse("account_list")


def names(response) -> list[str]:
    return [account.name for account in response.context["page"].rows]


def test_search_finds_by_part_of_the_name_ignoring_case(client, org):
    AccountFactory(name="Słoneczna Energia", owner=org.sara)
    AccountFactory(name="Wiatr i Woda", owner=org.sara)
    client.force_login(org.sara)
    assert names(client.get(LIST, {"q": "energia"})) == ["Słoneczna Energia"]


def test_search_finds_by_nip_typed_with_dashes_or_spaces(client, org):
    AccountFactory(name="Target", nip="1234563218", owner=org.sara)
    AccountFactory(name="Other", owner=org.sara)
    client.force_login(org.sara)
    assert names(client.get(LIST, {"q": "123-456-32-18"})) == ["Target"]
    assert names(client.get(LIST, {"q": "123 456 32 18"})) == ["Target"]
    response = client.get(LIST, {"q": "1234563218"})
    assert "123-456-32-18" in response.content.decode()


def test_search_finds_by_city(client, org):
    AccountFactory(name="In Gdańsk", city="Gdańsk", owner=org.sara)
    AccountFactory(name="In Kraków", city="Kraków", owner=org.sara)
    client.force_login(org.sara)
    assert names(client.get(LIST, {"q": "gdańsk"})) == ["In Gdańsk"]


def test_filters_by_kind_and_voivodeship(client, org):
    AccountFactory(name="Company", voivodeship="slaskie", owner=org.sara)
    AccountFactory(name="Person", kind=Account.Kind.PERSON, nip="", owner=org.sara)
    AccountFactory(name="Elsewhere", voivodeship="pomorskie", owner=org.sara)
    client.force_login(org.sara)
    assert names(client.get(LIST, {"kind": "person"})) == ["Person"]
    assert names(client.get(LIST, {"voivodeship": "slaskie"})) == ["Company"]


def test_mine_only_leaves_out_the_team_members_accounts(client, org):
    AccountFactory(name="Maria's", owner=org.manager)
    AccountFactory(name="Sara's", owner=org.sara)
    client.force_login(org.manager)
    assert names(client.get(LIST)) == ["Maria's", "Sara's"]
    assert names(client.get(LIST, {"mine": "on"})) == ["Maria's"]


def test_a_salesperson_sees_only_their_own_accounts(client, org):
    AccountFactory(name="Sara's", owner=org.sara)
    AccountFactory(name="Olga's", owner=org.olga)
    client.force_login(org.olga)
    assert names(client.get(LIST)) == ["Olga's"]


def test_sorts_by_name_newest_and_city(client, org):
    AccountFactory(name="B", city="Zakopane", owner=org.sara)
    AccountFactory(name="C", city="Augustów", owner=org.sara)
    AccountFactory(name="A", city="Malbork", owner=org.sara)
    client.force_login(org.sara)
    assert names(client.get(LIST)) == ["A", "B", "C"]
    assert names(client.get(LIST, {"sort": "newest"})) == ["A", "C", "B"]
    assert names(client.get(LIST, {"sort": "city"})) == ["C", "A", "B"]


def test_an_unknown_filter_value_is_ignored_not_an_error(client, org):
    AccountFactory(name="A", owner=org.sara)
    client.force_login(org.sara)
    response = client.get(LIST, {"sort": "'; drop table", "kind": "robot", "cursor": "%%%"})
    assert response.status_code == 200
    assert names(response) == ["A"]


def test_pages_follow_each_other_without_gaps_or_repeats(client, org):
    for number in range(30):
        AccountFactory(name=f"Firma {number:02d}", owner=org.sara)
    client.force_login(org.sara)
    first = client.get(LIST, {"q": "firma"})
    page = first.context["page"]
    assert len(page.rows) == 25 and page.count == 30
    second = client.get(LIST, {"q": "firma", "cursor": page.next_cursor})
    shown = names(first) + names(second)
    assert shown == [f"Firma {number:02d}" for number in range(30)]
    assert not second.context["page"].has_next


def test_a_large_result_is_counted_only_up_to_the_cap(client, org, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    for _ in range(7):
        AccountFactory(owner=org.sara)
    client.force_login(org.sara)
    response = client.get(LIST)
    assert response.context["page"].count_capped
    assert "5+" in response.content.decode()


def test_a_search_with_more_matches_than_the_count_cap_is_paged_in_order(client, org, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    for number in range(30):
        AccountFactory(name=f"Solar {number:02d}", owner=org.sara)
    AccountFactory(name="Wind", owner=org.sara)
    client.force_login(org.sara)
    first = client.get(LIST, {"q": "solar"})
    assert first.context["page"].count_capped
    second = client.get(LIST, {"q": "solar", "cursor": first.context["page"].next_cursor})
    assert names(first) + names(second) == [f"Solar {number:02d}" for number in range(30)]


def test_the_list_costs_the_same_queries_for_one_or_many_rows(
    client, org, django_assert_max_num_queries
):
    for _ in range(25):
        AccountFactory(owner=org.sara)
    client.force_login(org.manager)
    # session, user, roles, managed teams, custom field columns, page, capped count
    with django_assert_max_num_queries(7):
        client.get(LIST)


@pytest.mark.parametrize("filtered", [False, True])
def test_an_empty_list_says_so(client, org, filtered):
    client.force_login(org.sara)
    response = client.get(LIST, {"q": "nothing"} if filtered else {})
    assert response.status_code == 200
    assert 'id="empty-state"' in response.content.decode()
