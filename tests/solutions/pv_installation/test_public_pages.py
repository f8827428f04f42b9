"""The customer's link page and the public lead form (and API)."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from obieg.crm.models import Lead
from obieg.engine.models import WorkItem
from obieg.sales.models import Offer
from obieg.solutions.pv_installation import links, public_lead
from obieg.solutions.pv_installation.models import PVProject
from tests.solutions.pv_installation.helpers import new_project, reload, to_offer


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def offer_url(project):
    return reverse("pv:customer", args=[links.make_token(project.pk, "offer", project.offer_id)])


def test_the_customer_accepts_the_offer_without_logging_in(client, org):
    project = to_offer(org, new_project(org))
    page = client.get(offer_url(project))
    assert page.status_code == 200 and "Przyjmuję ofertę" in page.content.decode()
    pdf = client.get(offer_url(project) + "document.pdf")
    assert b"".join(pdf.streaming_content)[:4] == b"%PDF"
    answer = client.post(offer_url(project), {"action": "accept"})
    assert "Dziękujemy" in answer.content.decode()
    assert reload(project).offer.status == Offer.Status.ACCEPTED


def test_the_customer_asks_for_changes_with_a_comment(client, org):
    project = to_offer(org, new_project(org))
    refused = client.post(offer_url(project), {"action": "changes", "comment": ""})
    # The customer's page speaks Polish: the refusal is shown, and nothing changes.
    assert refused.status_code == 200
    assert "Napisz, co należy zmienić." in refused.content.decode()
    assert reload(project).offer.status == Offer.Status.SENT
    client.post(offer_url(project), {"action": "changes", "comment": "Bez magazynu"})
    assert WorkItem.objects.filter(
        case_id=project.case_id, element_id="design", status="open"
    ).exists()


def test_a_forged_or_expired_link_is_not_found(client, org, settings):
    project = to_offer(org, new_project(org))
    url = offer_url(project)
    assert client.get(url.replace(":", ";", 1)).status_code == 404
    settings.PV_CUSTOMER_LINK_MAX_AGE = -1
    assert client.get(url).status_code == 404


FORM = {
    "contact_name": "Ewa Nowak",
    "email": "ewa@example.com",
    "postal_code": "31-100",
    "city": "Kraków",
    "consent": "on",
    "website": "",
}


def post_form(client, **changes):
    return client.post(
        reverse("pv:lead_form"), {**FORM, "rendered": public_lead.rendered_stamp(), **changes}
    )


def test_the_public_form_creates_a_lead_and_starts_a_case(client, org):
    assert client.get(reverse("pv:lead_form")).status_code == 200
    response = post_form(client)
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    project = PVProject.objects.get()
    assert project.lead.source == Lead.Source.WEB_FORM
    assert project.owner.has_role("salesperson")
    assert WorkItem.objects.filter(case_id=project.case_id, element_id="audit").exists()


def test_the_honeypot_and_a_too_fast_form_are_refused(client, org, settings):
    post_form(client, website="http://spam.example")
    settings.PV_LEAD_MIN_FILL_SECONDS = 60
    post_form(client)
    assert not PVProject.objects.exists()


def test_invalid_data_changes_nothing(client, org):
    response = post_form(client, postal_code="31100", email="", phone="")
    assert response.status_code == 200 and not Lead.objects.exists()


def test_too_many_leads_from_one_address_get_429(client, org, settings):
    settings.PV_LEAD_RATE_LIMIT = (2, 60)
    assert post_form(client).status_code == 200
    assert post_form(client).status_code == 200
    assert post_form(client).status_code == 429
    assert PVProject.objects.count() == 2


def test_the_api_takes_a_lead(client, org):
    url = reverse("pv:lead_api")
    bad = client.post(url, json.dumps({"contact_name": "X"}), content_type="application/json")
    assert bad.status_code == 400 and "postal_code" in bad.json()["errors"]
    good = client.post(url, json.dumps({**FORM, "consent": True}), content_type="application/json")
    assert good.status_code == 201
    assert PVProject.objects.get(pk=good.json()["project"]).lead.source == Lead.Source.API


def test_the_customer_accepts_the_contract_on_its_page(client, org):
    from tests.solutions.pv_installation.helpers import to_contract_sent

    project = to_contract_sent(org, new_project(org))
    url = reverse(
        "pv:customer", args=[links.make_token(project.pk, "contract", project.contract_id)]
    )
    assert "Akceptuję umowę" in client.get(url).content.decode()
    client.post(url, {"action": "accept"})
    assert reload(project).contract.status == "signed"
    assert "nie czeka" in client.get(url).content.decode()  # answered: no buttons any more


def post_api(client, payload, **extra):
    return client.post(
        reverse("pv:lead_api"), json.dumps(payload), content_type="application/json", **extra
    )


def test_the_api_gives_errors_per_field_and_changes_nothing(client, org):
    refused = post_api(client, {**FORM, "consent": False, "email": "", "postal_code": "31100"})
    assert refused.status_code == 400
    body = refused.json()
    assert body["detail"] and {"consent", "postal_code"} <= set(body["errors"])
    no_contact = post_api(client, {**FORM, "consent": True, "email": ""})
    assert no_contact.status_code == 400 and "non_field_errors" in no_contact.json()["errors"]
    broken = client.post(reverse("pv:lead_api"), "{", content_type="application/json")
    assert broken.status_code == 400
    assert client.get(reverse("pv:lead_api")).status_code == 405
    assert not Lead.objects.exists()


def test_the_api_needs_no_login_nor_csrf_token_and_answers_with_the_ids(org):
    from django.test import Client

    response = post_api(Client(enforce_csrf_checks=True), {**FORM, "consent": True})
    assert response.status_code == 201
    project = PVProject.objects.get()
    assert response.json() == {
        "project": project.pk,
        "lead": project.lead_id,
        "status": project.lead.status,
    }


def test_too_many_api_leads_from_one_address_get_429(client, org, settings):
    settings.PV_LEAD_RATE_LIMIT = (2, 60)
    assert post_api(client, {"contact_name": "X"}).status_code == 400  # refusals do not count
    assert post_api(client, {**FORM, "consent": True}).status_code == 201
    assert post_api(client, {**FORM, "consent": True}).status_code == 201
    refused = post_api(client, {**FORM, "consent": True})
    assert refused.status_code == 429 and refused.json()["detail"]
    assert PVProject.objects.count() == 2


def test_the_api_is_in_the_openapi_schema(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = response.json()["paths"]
    operation = paths["/pv/api/leads/"]["post"]
    # A path outside /api/ leaves the records' operation ids and tags as they were.
    assert paths["/api/accounts/"]["get"]["operationId"] == "accounts_list"
    assert {"201", "400", "429"} <= set(operation["responses"])
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/PVLeadRequest"
    )


def test_the_customers_submission_is_kept_when_its_process_fails(client, org, monkeypatch):
    """The lead is the customer's: a failing first step stops the case, never loses the lead."""
    from obieg.engine.models import Case
    from obieg.engine.runtime import workitems
    from obieg.engine.selectors import failed_cases

    def no_route(*args, **kwargs):
        raise LookupError("the routing table is broken")

    monkeypatch.setattr(workitems, "route_for", no_route)
    response = post_form(client)

    assert response.status_code == 200 and "Thank you" in response.content.decode()
    project = PVProject.objects.get()
    assert project.lead.contact_name == FORM["contact_name"]
    case = Case.objects.get(pk=project.case_id)
    assert case.status == "error" and "routing table is broken" in case.error_message
    assert list(failed_cases()) == [case]
