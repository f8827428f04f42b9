"""Contact persons of an account: add, edit (with the stale-edit check), delete."""

from django.urls import reverse

from obieg.crm import services
from obieg.crm.models import ContactPerson
from tests.factories import AccountFactory, ContactFactory

PERSON = {"first_name": "Ewa", "last_name": "Nowak", "email": "ewa@example.pl"}


def test_a_contact_person_is_added_and_shown_on_the_360_page(client, org):
    account = AccountFactory(owner=org.sara)
    client.force_login(org.sara)
    response = client.post(reverse("contact_create", args=[account.pk]), PERSON, follow=True)
    assert ContactPerson.objects.get().account == account
    assert "Ewa Nowak" in response.content.decode()


def test_an_invalid_e_mail_is_shown_beside_its_field(client, org):
    account = AccountFactory(owner=org.sara)
    client.force_login(org.sara)
    response = client.post(
        reverse("contact_create", args=[account.pk]), {**PERSON, "email": "not-an-address"}
    )
    assert list(response.context["form"].errors) == ["email"]
    assert not ContactPerson.objects.exists()


def test_a_stale_edit_is_refused_and_overwrites_nothing(client, org):
    contact = ContactFactory(account=AccountFactory(owner=org.sara), first_name="Jan")
    services.contact_update(actor=org.manager, contact=contact, data={"first_name": "Janusz"})
    client.force_login(org.sara)
    response = client.post(reverse("contact_edit", args=[contact.pk]), {**PERSON, "revision": 1})
    assert response.status_code == 409
    contact.refresh_from_db()
    assert contact.first_name == "Janusz"


def test_another_salesperson_gets_404(client, org):
    contact = ContactFactory(account=AccountFactory(owner=org.sara))
    client.force_login(org.olga)
    assert client.get(reverse("contact_edit", args=[contact.pk])).status_code == 404
    assert client.post(reverse("contact_delete", args=[contact.pk])).status_code == 404
    assert client.get(reverse("contact_create", args=[contact.account_id])).status_code == 404


def test_delete_asks_for_confirmation_first(client, org):
    contact = ContactFactory(account=AccountFactory(owner=org.sara))
    client.force_login(org.sara)
    url = reverse("contact_delete", args=[contact.pk])
    assert client.get(url).status_code == 200
    assert ContactPerson.objects.filter(pk=contact.pk).exists()
    client.post(url)
    assert not ContactPerson.objects.filter(pk=contact.pk).exists()
