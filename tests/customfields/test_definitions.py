"""Administrators define fields; nothing an edit or a deactivation does loses values."""

import pytest
from django.urls import reverse

from obieg.core.audit import AuditEntry
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.crm import services as crm_services
from obieg.customfields import services
from obieg.customfields.models import CustomField
from tests.factories import AccountFactory

LIST = reverse("customfields:field_list")
NEW = reverse("customfields:field_create")


def test_an_administrator_defines_a_choice_field_on_the_page(client, org):
    client.force_login(org.admin)
    response = client.post(
        NEW,
        {
            "record_type": "account",
            "label_pl": "Segment",
            "label_en": "Tier",
            "key": "tier",
            "kind": "choice",
            "choices_text": "gold | Złoty | Gold\nSrebrny\n",
            "in_list": "on",
            "position": "1",
        },
    )
    assert response.status_code == 302
    field = CustomField.objects.get()
    assert (field.record_type, field.key, field.kind, field.in_list) == (
        "account",
        "tier",
        "choice",
        True,
    )
    assert field.choices == [
        {"value": "gold", "label_pl": "Złoty", "label_en": "Gold", "retired": False},
        {"value": "srebrny", "label_pl": "Srebrny", "label_en": "", "retired": False},
    ]
    assert AuditEntry.objects.filter(object_id=str(field.pk), action="create").exists()
    page = client.get(LIST).content.decode()
    assert "tier" in page and "Tier" in page


@pytest.mark.parametrize(
    ("changes", "error_field"),
    [
        ({"key": "Bad Key"}, "key"),
        ({"kind": "choice", "choices_text": ""}, "choices_text"),
        ({"kind": "choice", "choices_text": "a | A\na | B"}, "choices_text"),
        ({"label_pl": ""}, "label_pl"),
    ],
)
def test_a_bad_definition_is_refused_with_field_errors(client, org, changes, error_field):
    client.force_login(org.admin)
    data = {"record_type": "lead", "label_pl": "Pole", "key": "pole", "kind": "text", **changes}
    response = client.post(NEW, data)
    assert response.status_code == 200
    assert error_field in response.context["form"].errors
    assert not CustomField.objects.exists()


def test_a_key_is_unique_per_record_type_only(define):
    define("account", "region", "text")
    define("lead", "region", "text")
    with pytest.raises(ApplicationError) as refused:
        define("account", "region", "number")
    assert "key" in refused.value.field_errors


def test_only_administrators_see_and_use_the_pages(client, org, tier):
    client.force_login(org.manager)
    assert client.get(LIST).status_code == 403
    assert client.post(NEW, {"record_type": "account"}).status_code == 403
    edit = reverse("customfields:field_edit", args=[tier.pk])
    assert client.post(edit, {"label_pl": "X"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.field_update(actor=org.manager, field=tier, data={"label_pl": "X"})
    tier.refresh_from_db()
    assert tier.label_pl == "Segment"


def test_key_kind_and_record_type_cannot_be_changed(org, tier, client):
    with pytest.raises(ApplicationError):
        services.field_update(actor=org.admin, field=tier, data={"key": "segment"})
    client.force_login(org.admin)
    edit = reverse("customfields:field_edit", args=[tier.pk])
    form = client.get(edit).context["form"]
    assert not {"key", "kind", "record_type"} & set(form.fields)


def test_removing_a_choice_keeps_it_as_retired_and_the_records_keep_their_value(client, org, tier):
    account = AccountFactory(owner=org.sara)
    crm_services.account_update(
        actor=org.sara, account=account, data={"custom": {"tier": "silver"}}
    )
    client.force_login(org.admin)
    edit = reverse("customfields:field_edit", args=[tier.pk])
    response = client.post(
        edit,
        {
            "label_pl": "Segment",
            "label_en": "Tier",
            "choices_text": "gold | Złoty | Gold\nplatinum | Platynowy | Platinum",
            "position": "0",
            "in_list": "on",
            "revision": str(tier.revision),
        },
    )
    assert response.status_code == 302
    tier.refresh_from_db()
    assert [(c["value"], c["retired"]) for c in tier.choices] == [
        ("gold", False),
        ("platinum", False),
        ("silver", True),
    ]
    # The record still shows the old value by its label, flagged.
    client.force_login(org.sara)
    page = client.get(reverse("account_detail", args=[account.pk])).content.decode()
    assert "Silver" in page and "no longer offered" in page
    # Editing another field of the record keeps the retired value.
    form = client.get(reverse("account_edit", args=[account.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"name": "Renamed", "custom_tier": "silver", "revision": account.revision + 1})
    data.pop("owner", None)
    account.refresh_from_db()
    data["revision"] = account.revision
    response = client.post(reverse("account_edit", args=[account.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    account.refresh_from_db()
    assert (account.name, account.custom) == ("Renamed", {"tier": "silver"})


def test_deactivating_asks_first_hides_the_field_and_keeps_the_values(client, org, tier):
    account = AccountFactory(owner=org.sara)
    crm_services.account_update(actor=org.sara, account=account, data={"custom": {"tier": "gold"}})
    client.force_login(org.admin)
    url = reverse("customfields:field_deactivate", args=[tier.pk])
    confirm = client.get(url)
    assert "1 record holds a value" in confirm.content.decode()
    tier.refresh_from_db()
    assert tier.active  # asking changed nothing
    assert client.post(url).status_code == 302
    tier.refresh_from_db()
    assert not tier.active
    client.force_login(org.sara)
    page = client.get(reverse("account_detail", args=[account.pk])).content.decode()
    assert "Gold" not in page
    # Saving the record through its form keeps the hidden value.
    account.refresh_from_db()
    response = client.post(
        reverse("account_edit", args=[account.pk]),
        {"kind": "company", "name": "Still here", "revision": account.revision},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.custom == {"tier": "gold"}
    # Activated again, the value is back.
    client.force_login(org.admin)
    client.post(reverse("customfields:field_activate", args=[tier.pk]))
    client.force_login(org.sara)
    assert "Gold" in client.get(reverse("account_detail", args=[account.pk])).content.decode()


def test_each_record_type_reads_its_own_active_fields_through_one_compiled_statement(org, define):
    """active_fields_of is compiled once per process for each number of types asked."""
    from django.db import connection

    from obieg.core import compiled_once
    from obieg.customfields import selectors, services

    define("account", "tier", "text")
    define("contact", "role", "text")
    hidden = define("contact", "hobby", "text")
    services.field_set_active(actor=org.admin, field=hidden, active=False)

    both = selectors.active_fields_of("account", "contact")
    assert {kind: [f.key for f in fields] for kind, fields in both.items()} == {
        "account": ["tier"],
        "contact": ["role"],
    }
    assert [f.key for f in selectors.active_fields("contact")] == ["role"]
    assert selectors.active_fields_of("lead") == {"lead": []}
    assert compiled_once._compiled[(connection.vendor, ("active custom fields", 2))] is not None
