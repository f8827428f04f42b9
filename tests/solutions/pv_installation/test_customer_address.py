"""The installation address is the customer's: offers, contracts and invoices name it in full."""

import subprocess

import pytest
from django.core.cache import cache
from django.urls import reverse
from lxml import etree

from obieg.billing import ksef
from obieg.solutions.pv_installation import services
from obieg.solutions.pv_installation.models import PVProject
from tests.solutions.pv_installation.helpers import new_project, reload, to_contract_sent

FA = {"fa": "http://crd.gov.pl/wzor/2025/06/25/13775/"}


def pdf_text(document) -> str:
    content = document.versions.order_by("-number").first().file.read()
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True)
    return " ".join(result.stdout.decode().replace("\u00a0", " ").split())


def test_a_salespersons_lead_gives_the_customer_a_full_address(org):
    project = new_project(org)
    account = project.account
    assert (account.street, account.postal_code, account.city) == (
        "ul. Słoneczna 5",
        "30-001",
        "Kraków",
    )
    assert project.site_address == "ul. Słoneczna 5, 30-001 Kraków"


def test_the_web_form_street_reaches_the_customer_record(client, org, settings):
    cache.clear()
    settings.PV_LEAD_MIN_FILL_SECONDS = 0
    form = client.get(reverse("pv:lead_form")).context["form"]
    client.post(
        reverse("pv:lead_form"),
        {
            "contact_name": "Ewa Nowak",
            "email": "ewa@example.com",
            "postal_code": "31-100",
            "city": "Kraków",
            "site_address": "ul. Polna 3",
            "consent": "on",
            "rendered": form.initial["rendered"],
        },
    )
    project = PVProject.objects.get()
    assert (project.account.street, project.account.postal_code) == ("ul. Polna 3", "31-100")
    assert project.site_address == "ul. Polna 3, 31-100 Kraków"


def test_a_street_that_names_its_town_is_kept_as_typed(org):
    from obieg.crm import services as crm

    lead = crm.lead_create(
        actor=org.sara,
        data={"source": "salesperson", "contact_name": "Adam Lis", "phone": "600100200",
              "postal_code": "30-001", "city": "Kraków"},
    )  # fmt: skip
    project = services.project_start(actor=org.sara, lead=lead, site_address="ul. Długa 1, Kraków")
    assert project.site_address == "ul. Długa 1, Kraków"


@pytest.fixture
def signed(org):
    project = to_contract_sent(org, new_project(org))
    services.customer_accept_contract(project=project, contract_id=project.contract_id)
    return reload(project)


def test_offer_and_contract_name_the_buyers_address(signed):
    for document in (signed.offer_document, signed.contract_document):
        text = pdf_text(document)
        assert "Jan Kowalski ul. Słoneczna 5 30-001 Kraków" in text


def test_the_advance_invoice_and_its_ksef_xml_carry_the_buyers_address(signed):
    invoice = signed.advance_invoice
    assert (invoice.buyer_street, invoice.buyer_postal_code, invoice.buyer_city) == (
        "ul. Słoneczna 5",
        "30-001",
        "Kraków",
    )
    xml = ksef.invoice_xml(invoice)
    ksef.validate(xml)
    buyer = etree.fromstring(xml).find(".//fa:Podmiot2/fa:Adres", FA)
    lines = [buyer.findtext(f"fa:AdresL{n}", namespaces=FA) for n in (1, 2)]
    assert lines == ["ul. Słoneczna 5", "30-001 Kraków"]
