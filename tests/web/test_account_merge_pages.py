"""The merge pages: pick the other account, compare and choose, confirm, see the result."""

from __future__ import annotations

from django.urls import reverse

from obieg.crm.models import Account, ContactPerson
from tests.factories import AccountFactory, valid_nip


def accounts(org):
    survivor = AccountFactory(owner=org.sara, name="Piekarnia Łódź", nip=valid_nip(3), phone="")
    duplicate = AccountFactory(
        owner=org.sara, name="Piekarnia Lodz s.c.", nip=valid_nip(4), phone="600100200"
    )
    ContactPerson.objects.create(account=duplicate, first_name="Ewa", last_name="Nowak")
    return survivor, duplicate


def compare_url(survivor, duplicate):
    return reverse("account_merge_compare", args=[survivor.pk, duplicate.pk])


def test_the_account_page_offers_the_merge_to_whoever_may_merge(client, org):
    survivor, _duplicate = accounts(org)
    url = reverse("account_detail", args=[survivor.pk])
    client.force_login(org.sara)
    assert reverse("account_merge", args=[survivor.pk]) in client.get(url).content.decode()
    client.force_login(org.accountant)  # reads every customer, merges none
    assert reverse("account_merge", args=[survivor.pk]) not in client.get(url).content.decode()
    assert client.get(reverse("account_merge", args=[survivor.pk])).status_code == 403


def test_the_other_account_is_found_by_name_or_nip(client, org):
    survivor, duplicate = accounts(org)
    AccountFactory(owner=org.olga, name="Piekarnia Obca")  # not Sara's to change
    client.force_login(org.sara)
    url = reverse("account_merge", args=[survivor.pk])

    by_name = client.get(url, {"q": "piekarnia"}).context["candidates"]
    by_nip = client.get(url, {"q": duplicate.nip[:6]}).context["candidates"]

    assert by_name == [duplicate]
    assert by_nip == [duplicate]
    assert compare_url(survivor, duplicate) in client.get(url, {"q": "Lodz"}).content.decode()


def test_compare_confirm_and_merge(client, org):
    survivor, duplicate = accounts(org)
    client.force_login(org.sara)

    page = client.get(compare_url(survivor, duplicate))
    body = page.content.decode()
    assert 'data-field="name" data-outcome="choose"' in body
    assert 'data-field="phone" data-outcome="fill"' in body
    assert 'data-relation="crm.contactperson.account"' in body

    post = {
        "survivor_revision": survivor.revision,
        "duplicate_revision": duplicate.revision,
        "keep_name": "duplicate",
        "keep_nip": "survivor",
    }
    review = client.post(compare_url(survivor, duplicate), {**post, "step": "review"})
    assert review.templates[0].name == "web/accounts/merge_confirm.html"
    assert "This cannot be undone" in review.content.decode()
    assert Account.objects.filter(pk=duplicate.pk).exists()  # nothing changed yet

    done = client.post(compare_url(survivor, duplicate), {**post, "step": "confirm"})

    assert done.status_code == 302 and done.url == reverse("account_detail", args=[survivor.pk])
    survivor.refresh_from_db()
    assert survivor.name == "Piekarnia Lodz s.c."
    assert survivor.phone == "600100200"
    assert not Account.objects.filter(pk=duplicate.pk).exists()
    result = client.get(done.url).content.decode()
    assert "was merged into Piekarnia Lodz s.c.; 1 related record moved." in result


def test_back_from_the_confirmation_keeps_the_choices(client, org):
    survivor, duplicate = accounts(org)
    client.force_login(org.sara)
    back = client.post(
        compare_url(survivor, duplicate),
        {
            "survivor_revision": survivor.revision,
            "duplicate_revision": duplicate.revision,
            "keep_name": "duplicate",
            "keep_nip": "survivor",
            "step": "back",
        },
    )
    assert back.templates[0].name == "web/accounts/merge_compare.html"
    assert 'id="id_keep_name_duplicate" value="duplicate" checked' in back.content.decode()


def test_a_page_left_open_while_an_account_changed_is_a_409_and_nothing_changes(client, org):
    survivor, duplicate = accounts(org)
    client.force_login(org.sara)
    stale = {
        "survivor_revision": survivor.revision,
        "duplicate_revision": duplicate.revision,
        "keep_name": "duplicate",
        "keep_nip": "survivor",
        "step": "confirm",
    }
    Account.objects.filter(pk=duplicate.pk).update(revision=duplicate.revision + 1)

    response = client.post(compare_url(survivor, duplicate), stale)

    assert response.status_code == 409
    assert "Compare them again" in response.content.decode()
    assert ContactPerson.objects.get().account_id == duplicate.pk
    survivor.refresh_from_db()
    assert survivor.name == "Piekarnia Łódź"


def test_someone_who_may_not_merge_gets_403(client, org):
    survivor, duplicate = accounts(org)
    theirs = AccountFactory(owner=org.tomasz)
    client.force_login(org.manager)  # manages Sara and Tomasz: may merge
    assert client.get(compare_url(survivor, theirs)).status_code == 200
    client.force_login(org.sara)
    assert client.get(compare_url(survivor, theirs)).status_code == 404  # not hers to see
    client.force_login(org.accountant)
    response = client.post(
        compare_url(survivor, duplicate),
        {"survivor_revision": 1, "duplicate_revision": 1, "step": "confirm"},
    )
    assert response.status_code == 403
    assert Account.objects.filter(pk=duplicate.pk).exists()


def test_garbage_in_the_form_changes_nothing(client, org):
    survivor, duplicate = accounts(org)
    client.force_login(org.sara)
    response = client.post(
        compare_url(survivor, duplicate),
        {"survivor_revision": "x", "keep_name": "theirs", "step": "confirm"},
    )
    assert response.status_code == 200
    assert response.templates[0].name == "web/accounts/merge_compare.html"
    assert response.context["form"].errors
    assert Account.objects.filter(pk=duplicate.pk).exists()
