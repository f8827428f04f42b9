"""Custom fields in the record forms, on the record pages and in the lists with their filters."""

from django.urls import reverse

from obieg.crm import services
from obieg.crm.models import Account, Lead, Opportunity
from tests.factories import AccountFactory, ContactFactory, LeadFactory, OpportunityFactory

LIST = reverse("account_list")


def set_custom(record, actor, **custom):
    type(record).objects.filter(pk=record.pk).update(custom=custom)


def test_a_salesperson_fills_the_fields_in_the_account_form(
    client, org, tier, audit_date, turnover
):
    client.force_login(org.sara)
    form = client.get(reverse("account_create")).content.decode()
    assert 'name="custom_tier"' in form and 'type="date"' in form
    response = client.post(
        reverse("account_create"),
        {
            "kind": "company",
            "name": "Fotowolt",
            "custom_tier": "gold",
            "custom_audit_date": "2026-12-31",
            "custom_turnover": "150 000,50",
        },
    )
    assert response.status_code == 302
    account = Account.objects.get()
    assert account.custom == {"audit_date": "2026-12-31", "tier": "gold", "turnover": "150000.5"}
    page = client.get(reverse("account_detail", args=[account.pk])).content.decode()
    assert "Gold" in page and "Audit date" in page


def test_bad_values_are_field_errors_and_nothing_is_saved(client, org, tier, audit_date, turnover):
    client.force_login(org.sara)
    response = client.post(
        reverse("account_create"),
        {
            "kind": "company",
            "name": "Fotowolt",
            "custom_tier": "bronze",
            "custom_audit_date": "31.13.2026",
            "custom_turnover": "dużo",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"custom_tier", "custom_audit_date", "custom_turnover"} <= set(errors)
    assert not Account.objects.exists()


def test_a_required_field_must_be_filled(client, org, define):
    define("lead", "budget", "number", label_en="Budget", required=True)
    client.force_login(org.sara)
    data = {"source": "phone", "contact_name": "Jan", "phone": "600100200"}
    response = client.post(reverse("lead_create"), data)
    assert "custom_budget" in response.context["form"].errors
    response = client.post(reverse("lead_create"), {**data, "custom_budget": "25000"})
    assert response.status_code == 302
    assert Lead.objects.get().custom == {"budget": "25000"}


def test_the_account_list_shows_columns_and_filters_by_each_kind(
    client, org, tier, audit_date, turnover, define
):
    define("account", "note", "text", label_en="Note", in_list=True)
    gold = AccountFactory(owner=org.sara, name="Gold one")
    silver = AccountFactory(owner=org.sara, name="Silver one")
    bare = AccountFactory(owner=org.sara, name="Bare one")
    set_custom(
        gold, org.sara, tier="gold", audit_date="2026-03-01", turnover="1000.5", note="Pompa"
    )
    set_custom(silver, org.sara, tier="silver", audit_date="2027-01-15", turnover="99999")
    client.force_login(org.sara)

    def names(**params):
        response = client.get(LIST, params)
        assert response.status_code == 200
        return sorted(account.name for account in response.context["page"].rows)

    assert names() == ["Bare one", "Gold one", "Silver one"]
    assert names(**{"custom.tier": "gold"}) == ["Gold one"]
    assert names(**{"custom.turnover.min": "1 000,50"}) == ["Gold one", "Silver one"]
    assert names(**{"custom.turnover.min": "1000.51"}) == ["Silver one"]
    # Compared as numbers, not as text (as text "1000.5" < "200").
    assert names(**{"custom.turnover.min": "200"}) == ["Gold one", "Silver one"]
    assert names(**{"custom.turnover.max": "2000"}) == ["Gold one"]
    assert names(**{"custom.audit_date.min": "2026-12-01"}) == ["Silver one"]
    assert names(**{"custom.audit_date.max": "2026-03-01"}) == ["Gold one"]
    assert names(**{"custom.note": "pomp"}) == ["Gold one"]
    # A value that does not read is ignored, like the list's other filters.
    assert names(**{"custom.turnover.min": "lots"}) == ["Bare one", "Gold one", "Silver one"]
    page = client.get(LIST).content.decode()
    assert "Tier" in page and 'data-custom-field="tier"' in page
    assert bare.name in page


def test_lead_and_opportunity_lists_filter_by_their_fields(client, org, define):
    define(
        "lead",
        "channel",
        "choice",
        label_en="Channel",
        choices=[{"value": "fair", "label_pl": "Targi"}, {"value": "web", "label_pl": "WWW"}],
        in_list=True,
    )
    define("opportunity", "kwp", "number", label_en="Power (kWp)", in_list=True)
    fair = LeadFactory(owner=org.sara, contact_name="Z targów")
    LeadFactory(owner=org.sara, contact_name="Z sieci")
    set_custom(fair, org.sara, channel="fair")
    account = AccountFactory(owner=org.sara)
    big = OpportunityFactory(owner=org.sara, account=account, name="Big")
    OpportunityFactory(owner=org.sara, account=account, name="Small")
    set_custom(big, org.sara, kwp="49.5")
    client.force_login(org.sara)
    leads = client.get(reverse("lead_list"), {"custom.channel": "fair"})
    assert [lead.contact_name for lead in leads.context["page"].rows] == ["Z targów"]
    opportunities = client.get(reverse("opportunity_list"), {"custom.kwp.min": "10"})
    assert [o.name for o in opportunities.context["page"].rows] == ["Big"]
    assert "49,5" in opportunities.content.decode() or "49.5" in opportunities.content.decode()


def test_opportunity_and_contact_forms_take_their_fields(client, org, define):
    define("opportunity", "signed_on", "date", label_en="Signed on")
    define("contact", "nickname", "text", label_en="Nickname", in_list=True)
    account = AccountFactory(owner=org.sara)
    opportunity = OpportunityFactory(owner=org.sara, account=account)
    client.force_login(org.sara)
    response = client.post(
        reverse("opportunity_edit", args=[opportunity.pk]),
        {
            "name": opportunity.name,
            "stage": opportunity.stage,
            "value": "100",
            "probability": "10",
            "custom_signed_on": "2026-05-04",
            "revision": opportunity.revision,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    opportunity.refresh_from_db()
    assert opportunity.custom == {"signed_on": "2026-05-04"}
    assert (
        "Signed on"
        in client.get(reverse("opportunity_detail", args=[opportunity.pk])).content.decode()
    )
    contact = ContactFactory(account=account)
    response = client.post(
        reverse("contact_edit", args=[contact.pk]),
        {
            "first_name": contact.first_name,
            "last_name": contact.last_name,
            "custom_nickname": "Kuba",
            "revision": contact.revision,
        },
    )
    assert response.status_code == 302
    # Shown on the contact's row of the customer page.
    page = client.get(reverse("account_detail", args=[account.pk])).content.decode()
    assert "Nickname: Kuba" in page


def test_a_process_update_is_not_blocked_by_a_required_field_added_later(org, define):
    account = AccountFactory(owner=org.sara)
    opportunity = OpportunityFactory(owner=org.sara, account=account)
    define("opportunity", "kwp", "number", required=True)
    moved = services.opportunity_advance(actor=org.sara, opportunity=opportunity, stage="proposal")
    assert moved.stage == Opportunity.Stage.PROPOSAL


def test_a_filtered_list_with_custom_columns_does_not_query_per_row(client, org, tier, turnover):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(count):
        for number in range(count):
            account = AccountFactory(owner=org.sara, name=f"Firma {number}")
            set_custom(account, org.sara, tier="gold", turnover=str(number))

    client.force_login(org.sara)
    params = {"custom.tier": "gold", "custom.turnover.min": "0"}
    add(1)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(LIST, params).context["page"].rows) == 1
    add(10)
    with CaptureQueriesContext(connection) as eleven:
        assert len(client.get(LIST, params).context["page"].rows) == 11
    assert len(eleven) == len(one)


def test_polish_pages_show_polish_labels_and_numbers(client, org, tier, turnover):
    account = AccountFactory(owner=org.sara, name="Polska firma")
    set_custom(account, org.sara, tier="gold", turnover="150000.5")
    client.force_login(org.sara)
    client.cookies["django_language"] = "pl"
    page = client.get(LIST, HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "Segment" in page and "Złoty" in page and "Obrót" in page
    assert "150\xa0000,5" in page or "150 000,5" in page
