"""Creating, editing and deleting accounts through their forms."""

from django.urls import reverse

from obieg.core.models import AuditEntry
from obieg.crm import services
from obieg.crm.models import Account
from tests.factories import AccountFactory, OpportunityFactory

VALID = {"kind": "company", "name": "Słońce Sp. z o.o.", "postal_code": "30-001", "city": "Kraków"}


def test_an_invalid_nip_is_shown_beside_the_field_and_nothing_is_saved(client, org):
    client.force_login(org.sara)
    response = client.post(reverse("account_create"), {**VALID, "nip": "123-456-32-19"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["nip"]
    html = response.content.decode()
    assert 'id="id_nip_errors"' in html and "is-invalid" in html
    assert not Account.objects.exists()


def test_a_valid_nip_typed_with_dashes_is_stored_compact_and_owned_by_its_creator(client, org):
    client.force_login(org.sara)
    response = client.post(reverse("account_create"), {**VALID, "nip": "123-456-32-18"})
    account = Account.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("account_detail", args=[account.pk])
    assert account.nip == "1234563218"
    assert account.owner == org.sara
    assert AuditEntry.objects.filter(object_id=account.pk, action="create").exists()


def test_postal_code_and_person_identifiers_are_checked_per_field(client, org):
    client.force_login(org.sara)
    response = client.post(
        reverse("account_create"),
        {**VALID, "kind": "person", "nip": "1234563218", "postal_code": "30001"},
    )
    assert set(response.context["form"].errors) == {"nip", "postal_code"}
    assert not Account.objects.exists()


def test_a_salesperson_is_not_offered_an_owner_choice(client, org):
    client.force_login(org.sara)
    form = client.get(reverse("account_create")).context["form"]
    assert "owner" not in form.fields


def test_a_manager_hands_an_account_to_a_team_member_but_not_to_another_team(client, org):
    client.force_login(org.manager)
    url = reverse("account_create")
    refused = client.post(url, {**VALID, "owner": org.olga.pk})
    assert "owner" in refused.context["form"].errors
    client.post(url, {**VALID, "owner": org.sara.pk})
    assert Account.objects.get().owner == org.sara


def test_editing_saves_and_bumps_the_revision(client, org):
    account = AccountFactory(name="Old name", owner=org.sara)
    client.force_login(org.sara)
    url = reverse("account_edit", args=[account.pk])
    form = client.get(url).context["form"]
    assert form["revision"].value() == 1
    response = client.post(url, {**VALID, "name": "New name", "revision": 1})
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.name, account.revision) == ("New name", 2)


def test_a_stale_edit_is_refused_with_a_conflict_and_overwrites_nothing(client, org):
    account = AccountFactory(name="Original", owner=org.sara)
    client.force_login(org.sara)
    url = reverse("account_edit", args=[account.pk])
    client.get(url)  # Sara opens the form at revision 1 …
    services.account_update(  # … her manager saves first.
        actor=org.manager, account=account, data={"name": "Manager's name"}, revision=1
    )
    response = client.post(url, {**VALID, "name": "Sara's name", "revision": 1})
    assert response.status_code == 409
    assert response.context["form"].non_field_errors()
    account.refresh_from_db()
    assert account.name == "Manager's name"


def test_other_salespeople_and_strangers_get_404_on_edit_and_delete(client, org):
    account = AccountFactory(owner=org.sara)
    for user in (org.olga, org.stranger):
        client.force_login(user)
        assert client.get(reverse("account_edit", args=[account.pk])).status_code == 404
        assert client.post(reverse("account_delete", args=[account.pk])).status_code == 404
    assert Account.objects.filter(pk=account.pk).exists()


def test_someone_who_may_only_read_gets_403_on_edit(client, org):
    account = AccountFactory(owner=org.sara)
    client.force_login(org.accountant)  # accounting reads every customer, changes none
    assert client.get(reverse("account_detail", args=[account.pk])).status_code == 200
    response = client.post(reverse("account_edit", args=[account.pk]), {**VALID, "revision": 1})
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.name != VALID["name"]


def test_delete_asks_for_confirmation_first(client, org):
    account = AccountFactory(owner=org.sara)
    client.force_login(org.sara)
    url = reverse("account_delete", args=[account.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and 'method="post"' in confirm.content.decode()
    assert Account.objects.filter(pk=account.pk).exists()
    response = client.post(url)
    assert response["Location"] == reverse("account_list")
    assert not Account.objects.filter(pk=account.pk).exists()


def test_delete_is_refused_with_a_message_while_an_opportunity_refers_to_the_account(client, org):
    account = AccountFactory(owner=org.sara)
    OpportunityFactory(account=account, owner=org.sara)
    client.force_login(org.sara)
    response = client.post(reverse("account_delete", args=[account.pk]), follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Account.objects.filter(pk=account.pk).exists()
