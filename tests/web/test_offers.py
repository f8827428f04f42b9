"""Offer pages: lines and totals per VAT rate, refused input, revisions, status changes."""

from decimal import Decimal

from django.urls import reverse

from obieg.sales import services
from obieg.sales.models import Offer, OfferLine
from tests.factories import AccountFactory, OpportunityFactory

EMPTY_ROW = {
    "description": "",
    "quantity": "",
    "unit": "szt.",
    "unit_cost": "0",
    "unit_price": "",
    "vat_rate": "23",
}


def offer_form(*lines, revision=None, title="Instalacja PV 10 kWp") -> dict:
    """POST data for the offer form: header, the given lines and one blank row."""
    rows = [*lines, EMPTY_ROW]
    data = {
        "title": title,
        "valid_until": "2026-06-30",
        "notes": "",
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
    }
    if revision is not None:
        data["revision"] = str(revision)
    for index, row in enumerate(rows):
        data.update({f"lines-{index}-{name}": value for name, value in row.items()})
    return data


PANELS = {
    "description": "Panele 450 W",
    "quantity": "2",
    "unit": "szt.",
    "unit_cost": "700",
    "unit_price": "1000.00",
    "vat_rate": "23",
}
MOUNTING = {
    "description": "Montaż",
    "quantity": "10",
    "unit": "h",
    "unit_cost": "30",
    "unit_price": "50.50",
    "vat_rate": "8",
}
LINES = [
    {
        "description": "Panele 450 W",
        "quantity": Decimal("2"),
        "unit": "szt.",
        "unit_cost": Decimal("700"),
        "unit_price": Decimal("1000"),
        "vat_rate": "23",
    },
]


def make_offer(org, **extra) -> Offer:
    account = AccountFactory(owner=org.sara)
    return services.offer_create(actor=org.sara, account=account, title="PV", lines=LINES, **extra)


def test_an_offer_is_saved_with_its_lines_and_totals_per_vat_rate(client, org):
    account = AccountFactory(owner=org.sara)
    opportunity = OpportunityFactory(owner=org.sara, account=account)
    client.force_login(org.sara)
    url = f"{reverse('offer_create')}?opportunity={opportunity.pk}"
    assert client.get(url).context["account"] == account

    response = client.post(url, {**offer_form(PANELS, MOUNTING), "opportunity": opportunity.pk})

    offer = Offer.objects.get()
    assert response["Location"] == reverse("offer_detail", args=[offer.pk])
    assert (offer.account, offer.opportunity, offer.created_by) == (account, opportunity, org.sara)
    assert [line.description for line in offer.lines.all()] == ["Panele 450 W", "Montaż"]
    assert (offer.total_net, offer.total_vat, offer.total_gross) == (
        Decimal("2505.00"),
        Decimal("500.40"),
        Decimal("3005.40"),
    )
    detail = client.get(reverse("offer_detail", args=[offer.pk]))
    per_rate = {rate.rate: (rate.net, rate.vat) for rate in detail.context["totals"].per_rate}
    assert per_rate == {
        "23": (Decimal("2000.00"), Decimal("460.00")),
        "8": (Decimal("505.00"), Decimal("40.40")),
    }
    html = detail.content.decode()
    assert "3\xa0005,40\xa0zł" in html  # gross
    assert "1\xa0700,00\xa0zł" in html  # cost
    assert "32,1%" in html  # margin: (2505 − 1700) / 2505


def test_a_negative_quantity_is_shown_on_its_line_and_nothing_is_saved(client, org):
    account = AccountFactory(owner=org.sara)
    client.force_login(org.sara)
    url = f"{reverse('offer_create')}?account={account.pk}"

    response = client.post(url, offer_form(PANELS, {**MOUNTING, "quantity": "-1"}))

    assert response.status_code == 200
    assert response.context["lines"].forms[1].errors["quantity"]
    assert not Offer.objects.exists() and not OfferLine.objects.exists()


def test_an_unknown_vat_rate_is_refused_and_nothing_is_saved(client, org):
    account = AccountFactory(owner=org.sara)
    client.force_login(org.sara)
    url = f"{reverse('offer_create')}?account={account.pk}"

    response = client.post(url, offer_form({**PANELS, "vat_rate": "22"}))

    assert response.context["lines"].forms[0].errors["vat_rate"]
    assert not Offer.objects.exists()


def test_editing_replaces_header_and_lines_together(client, org):
    offer = make_offer(org)
    client.force_login(org.sara)
    url = reverse("offer_edit", args=[offer.pk])
    lines = client.get(url).context["lines"]
    assert lines.initial_form_count() == 1

    data = offer_form(PANELS, MOUNTING, revision=offer.revision, title="PV 12 kWp")
    data["lines-INITIAL_FORMS"] = "1"
    response = client.post(url, data)

    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.title == "PV 12 kWp"
    assert offer.lines.count() == 2 and offer.total_net == Decimal("2505.00")


def test_an_invalid_line_on_edit_changes_neither_header_nor_lines(client, org):
    offer = make_offer(org)
    client.force_login(org.sara)
    data = offer_form({**PANELS, "unit_price": "-5"}, revision=offer.revision, title="Nowy")
    data["lines-INITIAL_FORMS"] = "1"

    client.post(reverse("offer_edit", args=[offer.pk]), data)

    offer.refresh_from_db()
    assert offer.title == "PV" and offer.total_net == Decimal("2000.00")


def test_an_edit_from_a_stale_page_is_refused_and_overwrites_nothing(client, org):
    offer = make_offer(org)
    client.force_login(org.sara)
    services.offer_update(actor=org.sara, offer=offer, data={"title": "Zmienione"})
    data = offer_form(MOUNTING, revision=offer.revision, title="Moje")
    data["lines-INITIAL_FORMS"] = "1"

    response = client.post(reverse("offer_edit", args=[offer.pk]), data)

    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    offer.refresh_from_db()
    assert offer.title == "Zmienione"
    assert [line.description for line in offer.lines.all()] == ["Panele 450 W"]


def test_a_revision_supersedes_the_old_offer_which_stays_readable(client, org):
    offer = make_offer(org)
    services.offer_set_status(actor=org.sara, offer=offer, status=Offer.Status.SENT)
    client.force_login(org.sara)

    response = client.post(reverse("offer_revise", args=[offer.pk]))

    new = Offer.objects.get(revision_number=2)
    assert response["Location"] == reverse("offer_edit", args=[new.pk])
    assert (new.number, new.status, new.supersedes) == (offer.number, "draft", offer)
    assert [line.description for line in new.lines.all()] == ["Panele 450 W"]
    old = client.get(reverse("offer_detail", args=[offer.pk]))
    assert old.status_code == 200
    assert old.context["offer"].status == "superseded"
    assert 'id="superseded-note"' in old.content.decode()
    assert [revision.pk for revision in old.context["revisions"]] == [offer.pk, new.pk]
    assert client.get(reverse("offer_edit", args=[offer.pk])).status_code == 302


def test_status_goes_draft_sent_accepted_and_refuses_skipping(client, org):
    offer = make_offer(org)
    client.force_login(org.sara)
    url = reverse("offer_set_status", args=[offer.pk])

    skipped = client.post(url, {"status": "accepted"}, follow=True)
    assert "cannot go from" in skipped.content.decode()
    assert Offer.objects.get().status == "draft"

    client.post(url, {"status": "sent"})
    client.post(url, {"status": "accepted"})
    assert Offer.objects.get().status == "accepted"
    detail = client.get(reverse("offer_detail", args=[offer.pk])).content.decode()
    assert f"{reverse('contract_create')}?account={offer.account_id}&amp;offer={offer.pk}" in detail


def test_another_salespersons_offer_is_not_found(client, org):
    offer = make_offer(org)
    client.force_login(org.olga)
    assert client.get(reverse("offer_detail", args=[offer.pk])).status_code == 404
    assert client.post(reverse("offer_revise", args=[offer.pk])).status_code == 404
    response = client.post(reverse("offer_set_status", args=[offer.pk]), {"status": "sent"})
    assert response.status_code == 404


def test_the_list_hides_superseded_revisions_unless_asked(client, org):
    offer = make_offer(org)
    new = services.offer_revise(actor=org.sara, offer=offer)
    client.force_login(org.sara)
    rows = client.get(reverse("offer_list")).context["page"].rows
    assert [row.pk for row in rows] == [new.pk]
    rows = client.get(reverse("offer_list"), {"revisions": "all"}).context["page"].rows
    assert [row.pk for row in rows] == [new.pk, offer.pk]
