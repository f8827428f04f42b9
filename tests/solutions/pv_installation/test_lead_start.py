"""A salesperson's "New lead" starts a PV case; what the customer asked for goes along with it."""

from django.urls import reverse

from obieg.engine.models import WorkItem
from obieg.solutions.pv_installation.models import PVProject

LEAD = {
    "contact_name": "Ewa Nowak",
    "phone": "600 100 200",
    "postal_code": "31-100",
    "city": "Kraków",
    "site_address": "ul. Polna 3",
    "description": "Dach garażu, ok. 40 m², zależy mi na magazynie energii",
}


def test_new_lead_on_a_sellers_home_page_offers_the_pv_start(client, org):
    client.force_login(org.sara)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("pv:lead_new")}"' in page
    assert f'href="{reverse("lead_create")}"' in page  # the plain lead stays one click away


def test_people_who_do_not_sell_are_not_offered_it(client, org):
    client.force_login(org.designer)
    assert reverse("pv:lead_new") not in client.get(reverse("home")).content.decode()
    client.force_login(org.accountant)  # reads, adds nothing
    assert reverse("pv:lead_new") not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("pv:lead_new")).status_code == 404


def test_the_new_lead_page_starts_the_case_with_the_audit_for_the_salesperson(client, org):
    client.force_login(org.sara)
    assert client.get(reverse("pv:lead_new")).status_code == 200
    refused = client.post(reverse("pv:lead_new"), {**LEAD, "phone": ""})
    assert refused.status_code == 200 and not PVProject.objects.exists()
    response = client.post(reverse("pv:lead_new"), LEAD)
    project = PVProject.objects.get()
    assert response.status_code == 302 and response.url == reverse("pv:project", args=[project.pk])
    assert (project.owner, project.lead.description) == (org.sara, LEAD["description"])
    assert project.account.street == "ul. Polna 3"


def test_the_description_is_on_the_audit_task_and_the_customers_360_page(client, org):
    client.force_login(org.sara)
    client.post(reverse("pv:lead_new"), LEAD)
    project = PVProject.objects.get()
    audit = WorkItem.objects.get(case_id=project.case_id, element_id="audit")
    for url, near in (
        (reverse("engine:task", args=[audit.pk]), 'id="case-subject"'),  # beside the form
        (reverse("engine:case_detail", args=[project.case_id]), 'id="case-subject"'),
        (reverse("account_detail", args=[project.account_id]), 'id="leads"'),
        (reverse("pv:project", args=[project.pk]), 'id="pv-request"'),
    ):
        page = client.get(url).content.decode()
        assert LEAD["description"] in page[page.index(near) :][:3000], url
