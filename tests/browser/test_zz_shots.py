from datetime import timedelta
from django.utils import timezone
from obieg.crm.models import Activity
from obieg.documents.models import Document
from obieg.sales.models import Contract, Offer
from tests.factories import AccountFactory, ContactFactory, OpportunityFactory, LeadFactory
from obieg.crm import services

def test_shots(transactional_db, org, login, live_server):
    account = AccountFactory(owner=org.sara, name="Słoneczny Dom Sp. z o.o.", nip="1234563218", street="ul. Długa 5", voivodeship="malopolskie", email="biuro@slonce.pl", phone="+48 600 100 200")
    services.account_update(actor=org.sara, account=account, data={"city": "Tarnów"})
    for i in range(30): AccountFactory(owner=org.sara)
    ContactFactory(account=account, first_name="Ewa", last_name="Nowak", is_primary=True, position="Prezes", email="ewa@slonce.pl")
    ContactFactory(account=account)
    now = timezone.now()
    for n in range(25):
        Activity.objects.create(account=account, kind=["call","meeting","note","email"][n%4], subject=f"Activity {n}", occurs_at=now - timedelta(hours=n*5), owner=org.sara, body="Some text about the roof" if n%3==0 else "", status="done" if n%2 else "planned", outcome="positive" if n%2 else "")
    opp = OpportunityFactory(account=account, name="PV 10 kWp", owner=org.sara)
    LeadFactory(account=account, company_name="Słoneczny lead", owner=org.sara)
    old = Offer.objects.create(number="OF/1", account=account, opportunity=opp, title="Old offer", status=Offer.Status.SUPERSEDED)
    Offer.objects.create(number="OF/1", revision_number=2, supersedes=old, account=account, opportunity=opp, title="New offer", total_gross="12345.67", total_net="10037.13", total_cost="8000")
    Contract.objects.create(number="UM/2026/1", account=account, title="Installation", value_gross="12345.67", value_net="10037.13")
    for n in range(9): Document.objects.create(account=account, title=f"Photo {n}", kind="photo", current_version=1)
    Document.objects.create(account=account, title="Contract scan", kind="contract", current_version=2)
    page = login(org.sara)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{live_server.url}/accounts/{account.pk}/")
    page.screenshot(path="/tmp/a1plug/360.png", full_page=True)
    page.goto(f"{live_server.url}/accounts/")
    page.screenshot(path="/tmp/a1plug/list.png", full_page=True)
    page.goto(f"{live_server.url}/accounts/{account.pk}/edit/")
    page.fill("#id_nip", "1")
    page.fill("#id_postal_code", "1")
    page.click("main form[method=post] button[type=submit]")
    page.screenshot(path="/tmp/a1plug/form.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/{account.pk}/")
    page.screenshot(path="/tmp/a1plug/360-phone.png", full_page=True)
    page.goto(f"{live_server.url}/accounts/")
    page.screenshot(path="/tmp/a1plug/list-phone.png", full_page=True)
