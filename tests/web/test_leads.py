"""Lead pages: entering a lead, editing it, and converting it into a sale."""

from django.urls import reverse

from obieg.crm.models import Account, ContactPerson, Lead, Opportunity
from tests.factories import AccountFactory, LeadFactory

NEW_LEAD = {
    "source": "phone",
    "company_name": "Słoneczny Dom",
    "contact_name": "Jan Nowak",
    "email": "",
    "phone": "+48 600 100 200",
    "nip": "",
    "postal_code": "30-001",
    "city": "Kraków",
    "description": "Instalacja PV 10 kWp",
}


def test_a_lead_needs_an_email_or_a_phone_and_nothing_is_saved_without(client, org):
    client.force_login(org.sara)
    response = client.post(reverse("lead_create"), {**NEW_LEAD, "phone": ""})
    assert response.status_code == 200
    assert "Give an e-mail address or a phone number." in response.content.decode()
    assert not Lead.objects.exists()


def test_a_new_lead_is_owned_by_whoever_entered_it(client, org):
    client.force_login(org.sara)
    response = client.post(reverse("lead_create"), NEW_LEAD)
    lead = Lead.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("lead_detail", args=[lead.pk])
    assert (lead.owner, lead.status, lead.company_name) == (org.sara, "new", "Słoneczny Dom")


def test_the_list_shows_only_visible_leads_and_searches_them(client, org):
    LeadFactory(owner=org.sara, company_name="Słoneczny Dom")
    LeadFactory(owner=org.sara, company_name="Zielona Energia")
    LeadFactory(owner=org.olga, company_name="Słoneczna Farma")
    client.force_login(org.sara)
    html = client.get(reverse("lead_list")).content.decode()
    assert "Słoneczny Dom" in html and "Zielona Energia" in html
    assert "Słoneczna Farma" not in html
    html = client.get(reverse("lead_list"), {"q": "słon"}).content.decode()
    assert "Słoneczny Dom" in html and "Zielona Energia" not in html


def test_an_empty_list_says_so(client, org):
    client.force_login(org.sara)
    response = client.get(reverse("lead_list"))
    assert 'id="empty-state"' in response.content.decode()


def test_another_salespersons_lead_is_not_found(client, org):
    lead = LeadFactory(owner=org.olga)
    client.force_login(org.sara)
    assert client.get(reverse("lead_detail", args=[lead.pk])).status_code == 404
    assert client.get(reverse("lead_edit", args=[lead.pk])).status_code == 404
    assert client.post(reverse("lead_convert", args=[lead.pk])).status_code == 404


def test_converting_creates_account_contact_and_opportunity_exactly_once(client, org):
    lead = LeadFactory(owner=org.sara, company_name="Słoneczny Dom", contact_name="Jan Nowak")
    client.force_login(org.sara)
    url = reverse("lead_convert", args=[lead.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"account": "", "opportunity_name": "PV 10 kWp", "value": "42000"})

    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("opportunity_detail", args=[opportunity.pk])
    account = Account.objects.get()
    contact = ContactPerson.objects.get()
    assert (account.name, account.owner) == ("Słoneczny Dom", org.sara)
    assert (contact.account, contact.first_name, contact.last_name) == (account, "Jan", "Nowak")
    assert (opportunity.account, opportunity.name, opportunity.value) == (
        account,
        "PV 10 kWp",
        42000,
    )
    lead.refresh_from_db()
    assert (lead.status, lead.opportunity) == ("converted", opportunity)

    again = client.post(url, {"account": "", "opportunity_name": "PV 10 kWp", "value": "42000"})
    assert "already been converted" in again.content.decode()
    assert (Account.objects.count(), ContactPerson.objects.count()) == (1, 1)
    assert Opportunity.objects.count() == 1


def test_converting_can_attach_the_lead_to_an_existing_visible_account(client, org):
    account = AccountFactory(owner=org.sara, name="Słoneczny Dom Sp. z o.o.")
    lead = LeadFactory(owner=org.sara, company_name="Słoneczny Dom")
    client.force_login(org.sara)
    url = reverse("lead_convert", args=[lead.pk])
    assert f'value="{account.pk}"' in client.get(url).content.decode()

    client.post(url, {"account": account.pk, "opportunity_name": "", "value": ""})

    assert Account.objects.count() == 1
    assert Opportunity.objects.get().account == account
    assert ContactPerson.objects.get().account == account


def test_an_account_outside_ones_scope_cannot_be_chosen(client, org):
    foreign = AccountFactory(owner=org.olga)
    lead = LeadFactory(owner=org.sara)
    client.force_login(org.sara)
    response = client.post(reverse("lead_convert", args=[lead.pk]), {"account": foreign.pk})
    assert response.context["form"].errors["account"]
    assert not Opportunity.objects.exists()
    assert Lead.objects.get().status == "new"


def test_an_edit_from_a_stale_page_is_refused_and_overwrites_nothing(client, org):
    lead = LeadFactory(owner=org.sara, contact_name="Jan Nowak")
    client.force_login(org.sara)
    page = client.get(reverse("lead_edit", args=[lead.pk]))
    revision = page.context["form"].initial["revision"]
    Lead.objects.filter(pk=lead.pk).update(contact_name="Anna Nowak", revision=revision + 1)

    data = {**NEW_LEAD, "contact_name": "Jan Kowalski", "status": "contacted", "revision": revision}
    response = client.post(reverse("lead_edit", args=[lead.pk]), data)

    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    assert Lead.objects.get().contact_name == "Anna Nowak"


def test_a_converted_lead_cannot_be_edited_back(client, org):
    lead = LeadFactory(owner=org.sara, status=Lead.Status.CONVERTED)
    client.force_login(org.sara)
    data = {**NEW_LEAD, "status": "new", "revision": lead.revision}
    response = client.post(reverse("lead_edit", args=[lead.pk]), data)
    assert "can no longer be changed" in response.content.decode()
    assert Lead.objects.get().status == "converted"


def test_a_read_only_role_may_not_enter_leads(client, org):
    client.force_login(org.board)
    response = client.post(reverse("lead_create"), NEW_LEAD)
    assert response.status_code == 403
    assert not Lead.objects.exists()
