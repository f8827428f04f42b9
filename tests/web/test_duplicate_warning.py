"""Creating a record that looks like an existing one: a warning with links, then save anyway.

The same check in the API answers 409 with the duplicates, unless ?accept_duplicates=true.
"""

from django.urls import reverse
from rest_framework.test import APIClient

from obieg.crm.models import Account, ContactPerson, Lead
from tests.factories import AccountFactory, LeadFactory, valid_nip

NEW_ACCOUNT = {"kind": "company", "name": "Nowa Firma", "postal_code": "30-001", "city": "Kraków"}


def test_an_account_with_a_known_nip_is_held_back_with_a_link_to_the_existing(client, org):
    existing = AccountFactory(name="Istniejąca", nip=valid_nip(11), owner=org.sara)
    client.force_login(org.sara)
    response = client.post(reverse("account_create"), {**NEW_ACCOUNT, "nip": valid_nip(11)})
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("account_detail", args=[existing.pk]) in html
    assert "Save anyway" in html and "NIP" in html
    assert Account.objects.count() == 1


def test_save_anyway_creates_it(client, org):
    AccountFactory(name="Istniejąca", nip=valid_nip(12), owner=org.sara)
    client.force_login(org.sara)
    response = client.post(
        reverse("account_create"),
        {**NEW_ACCOUNT, "nip": valid_nip(12), "accept_duplicates": "1"},
    )
    assert response.status_code == 302
    assert Account.objects.filter(name="Nowa Firma").exists()


def test_a_record_unlike_any_other_is_saved_at_once(client, org):
    AccountFactory(name="Zupełnie Inna", owner=org.sara)
    client.force_login(org.sara)
    response = client.post(reverse("account_create"), NEW_ACCOUNT)
    assert response.status_code == 302


def test_a_duplicate_the_user_may_not_see_is_not_revealed(client, org):
    AccountFactory(name="Nowa Firma", nip=valid_nip(13), owner=org.olga)
    client.force_login(org.sara)
    response = client.post(reverse("account_create"), {**NEW_ACCOUNT, "nip": valid_nip(13)})
    assert response.status_code == 302


def test_a_contact_with_a_known_email_is_held_back(client, org):
    customer = AccountFactory(owner=org.sara)
    known = ContactPerson.objects.create(
        account=customer, first_name="Jan", last_name="Znany", email="jan@znany.pl"
    )
    client.force_login(org.sara)
    url = reverse("contact_create", args=[customer.pk])
    data = {"first_name": "Janek", "last_name": "Inny", "email": "JAN@znany.pl"}
    response = client.post(url, data)
    assert response.status_code == 200 and str(known) in response.content.decode()
    assert client.post(url, {**data, "accept_duplicates": "1"}).status_code == 302
    assert ContactPerson.objects.filter(account=customer).count() == 2


def test_a_lead_with_a_known_phone_is_held_back(client, org):
    known = LeadFactory(company_name="Znany Lead", phone="+48 601 000 111", owner=org.sara)
    client.force_login(org.sara)
    data = {"source": "phone", "contact_name": "Ktoś", "phone": "601000111"}
    response = client.post(reverse("lead_create"), data)
    assert response.status_code == 200
    assert reverse("lead_detail", args=[known.pk]) in response.content.decode()
    assert Lead.objects.count() == 1


# -- API -------------------------------------------------------------------------------


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_answers_409_with_the_duplicates(org):
    existing = AccountFactory(name="Api Firma", email="biuro@api.pl", owner=org.sara)
    response = _api(org.sara).post(
        "/api/accounts/", {"name": "API FIRMA sp. z o.o.", "email": "Biuro@api.pl"}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert "code" not in body  # the body's own keys never shadow a field (a product's code)
    assert body["duplicates"] == [
        {
            "kind": "account",
            "id": existing.pk,
            "name": "Api Firma",
            "matched": ["email", "name"],
            "url": f"http://testserver/api/accounts/{existing.pk}/",
        }
    ]
    assert Account.objects.count() == 1


def test_the_api_creates_it_when_the_client_accepts_duplicates(org):
    AccountFactory(name="Api Firma", owner=org.sara)
    response = _api(org.sara).post(
        "/api/accounts/?accept_duplicates=true", {"name": "Api Firma"}, format="json"
    )
    assert response.status_code == 201
    assert Account.objects.filter(name="Api Firma").count() == 2


def test_an_unreadable_accept_duplicates_is_a_400(org):
    response = _api(org.sara).post(
        "/api/accounts/?accept_duplicates=maybe", {"name": "X"}, format="json"
    )
    assert response.status_code == 400
    assert "accept_duplicates" in response.json()
    assert not Account.objects.exists()


def test_the_api_checks_contacts_and_leads_too(org):
    customer = AccountFactory(owner=org.sara)
    ContactPerson.objects.create(account=customer, first_name="A", last_name="B", phone="600700800")
    contact = _api(org.sara).post(
        "/api/contacts/",
        {"account": customer.pk, "first_name": "C", "last_name": "D", "phone": "+48 600 700 800"},
        format="json",
    )
    assert contact.status_code == 409 and contact.json()["duplicates"][0]["matched"] == ["phone"]
    LeadFactory(company_name="Lead", email="l@l.pl", owner=org.sara)
    lead = _api(org.sara).post(
        "/api/leads/",
        {"source": "api", "contact_name": "E", "email": "l@l.pl"},
        format="json",
    )
    assert lead.status_code == 409 and lead.json()["duplicates"][0]["kind"] == "lead"
