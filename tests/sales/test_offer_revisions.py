"""Offers: lines and totals, field errors per line, revisions, statuses; contracts from offers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.core.models import AuditEntry
from obieg.sales import services as sales
from obieg.sales.models import Contract, Offer, OfferLine
from tests.factories import AccountFactory, OpportunityFactory

D = Decimal
Status = Offer.Status

LINES = [
    {
        "description": "Panel 450 W",
        "quantity": D("20"),
        "unit": "szt.",
        "unit_cost": D("420.00"),
        "unit_price": D("610.00"),
        "vat_rate": "8",
    },
    {
        "description": "Falownik 10 kW",
        "quantity": D("1"),
        "unit_cost": D("5200.00"),
        "unit_price": D("7300.00"),
        "vat_rate": "23",
    },
    {
        "description": "Montaż",
        "quantity": D("12.5"),
        "unit": "h",
        "unit_price": D("99.99"),
        "vat_rate": "8",
    },
]


@pytest.fixture
def account(org):
    return AccountFactory(owner=org.sara)


@pytest.fixture
def offer(org, account):
    return sales.offer_create(actor=org.sara, account=account, title="PV 9 kWp", lines=LINES)


def test_offer_is_created_as_a_draft_with_numbered_lines_and_totals(org, offer):
    offer.refresh_from_db()
    assert offer.status == Status.DRAFT
    assert offer.revision_number == 1
    assert offer.number == f"OF/{date.today().year}/00001"
    assert str(offer) == f"{offer.number}/R1"
    lines = list(offer.lines.all())
    assert [(line.position, line.description) for line in lines] == [
        (1, "Panel 450 W"),
        (2, "Falownik 10 kW"),
        (3, "Montaż"),
    ]
    # 8%: 12200.00 + 1249.875 → 1249.88 = 13449.88, VAT 1075.9904 → 1075.99
    # 23%: 7300.00, VAT 1679.00
    assert offer.total_net == D("20749.88")
    assert offer.total_vat == D("2754.99")
    assert offer.total_gross == D("23504.87")
    assert offer.total_cost == D("13600.00")
    assert offer.margin == (D("20749.88") - D("13600")) / D("20749.88")  # unrounded
    assert offer.created_by == org.sara


def test_offer_numbers_count_up(org, account):
    first = sales.offer_create(actor=org.sara, account=account, title="A", lines=LINES[:1])
    second = sales.offer_create(actor=org.sara, account=account, title="B", lines=LINES[:1])

    assert int(second.number.rsplit("/", 1)[1]) == int(first.number.rsplit("/", 1)[1]) + 1


@pytest.mark.parametrize(
    ("bad_line", "field"),
    [
        ({"quantity": D("-1")}, "quantity"),
        ({"quantity": D("0")}, "quantity"),
        ({"quantity": "many"}, "quantity"),
        ({"quantity": D("1.0005")}, "quantity"),
        ({"unit_price": D("-0.01")}, "unit_price"),
        ({"unit_price": D("1.001")}, "unit_price"),
        ({"vat_rate": "7"}, "vat_rate"),
        ({"vat_rate": "ZW"}, "vat_rate"),
        ({"description": ""}, "description"),
    ],
)
def test_an_invalid_line_is_refused_with_its_field_error_and_nothing_is_saved(
    org, account, bad_line, field
):
    lines = [LINES[0], {**LINES[1], **bad_line}, LINES[2]]

    with pytest.raises(ApplicationError) as raised:
        sales.offer_create(actor=org.sara, account=account, title="PV", lines=lines)

    assert list(raised.value.field_errors) == [f"lines[2].{field}"]
    assert raised.value.field_errors[f"lines[2].{field}"]
    assert not Offer.objects.exists()
    assert not OfferLine.objects.exists()
    assert not AuditEntry.objects.exists()


def test_errors_of_several_lines_are_reported_together(org, account):
    lines = [{**LINES[0], "quantity": D("-1")}, LINES[1], {**LINES[2], "vat_rate": "99"}]

    with pytest.raises(ApplicationError) as raised:
        sales.offer_create(actor=org.sara, account=account, title="PV", lines=lines)

    assert set(raised.value.field_errors) == {"lines[1].quantity", "lines[3].vat_rate"}


def test_an_offer_cannot_be_made_for_someone_elses_account(org, account):
    with pytest.raises(PermissionDenied):
        sales.offer_create(actor=org.tomasz, account=account, title="PV", lines=LINES)
    assert not Offer.objects.exists()


def test_an_offer_cannot_point_at_another_accounts_opportunity(org, account):
    other = OpportunityFactory(account=AccountFactory(owner=org.sara))

    with pytest.raises(ApplicationError) as raised:
        sales.offer_create(
            actor=org.sara, account=account, title="PV", lines=LINES, opportunity=other
        )

    assert "opportunity" in raised.value.field_errors
    assert not Offer.objects.exists()


# --- editing drafts --------------------------------------------------------------------------


def test_replacing_the_lines_of_a_draft_recomputes_totals(org, offer):
    updated = sales.offer_replace_lines(actor=org.sara, offer=offer, lines=LINES[1:2])

    updated.refresh_from_db()
    assert [line.description for line in updated.lines.all()] == ["Falownik 10 kW"]
    assert (updated.total_net, updated.total_vat, updated.total_gross) == (
        D("7300.00"),
        D("1679.00"),
        D("8979.00"),
    )
    entry = AuditEntry.objects.filter(object_id=offer.pk, action="update").get()
    assert entry.changes["total_net"] == ["20749.88", "7300.00"]


def test_replacing_lines_bumps_the_revision_and_records_the_lines(org, offer):
    renamed = [{**LINES[0], "description": "Panel 455 W"}, *LINES[1:]]

    updated = sales.offer_replace_lines(actor=org.sara, offer=offer, lines=renamed, revision=1)

    assert updated.revision == 2
    entry = AuditEntry.objects.filter(object_id=offer.pk, action="update").get()
    old, new = entry.changes["lines"]
    assert "Panel 450 W" in old and "Panel 455 W" in new
    assert "total_net" not in entry.changes  # the totals did not move


def test_replacing_lines_with_the_same_lines_changes_nothing(org, offer):
    same = [{**line, "quantity": str(line["quantity"])} for line in LINES]

    updated = sales.offer_replace_lines(actor=org.sara, offer=offer, lines=same, revision=1)

    assert updated.revision == 1
    assert not AuditEntry.objects.filter(object_id=offer.pk, action="update").exists()


def test_replacing_lines_with_a_stale_revision_is_a_conflict(org, offer):
    from obieg.core.errors import Conflict

    sales.offer_update(actor=org.sara, offer=offer, data={"title": "Nowy"}, revision=1)

    with pytest.raises(Conflict):
        sales.offer_replace_lines(actor=org.sara, offer=offer, lines=LINES[:1], revision=1)

    assert offer.lines.count() == 3


def test_replacing_lines_with_an_invalid_one_keeps_the_old_lines(org, offer):
    with pytest.raises(ApplicationError) as raised:
        sales.offer_replace_lines(
            actor=org.sara, offer=offer, lines=[{**LINES[0], "quantity": D("-2")}]
        )

    assert "lines[1].quantity" in raised.value.field_errors
    offer.refresh_from_db()
    assert offer.lines.count() == 3
    assert offer.total_net == D("20749.88")


def test_a_draft_can_be_edited(org, offer):
    updated = sales.offer_update(
        actor=org.sara, offer=offer, data={"title": "PV 9,5 kWp", "status": "accepted"}
    )

    assert updated.title == "PV 9,5 kWp"
    assert updated.status == Status.DRAFT  # status is not editable through offer_update


@pytest.mark.parametrize("status", [Status.SENT, Status.ACCEPTED, Status.REJECTED])
def test_only_a_draft_is_editable(org, offer, status):
    Offer.objects.filter(pk=offer.pk).update(status=status)
    offer.refresh_from_db()

    with pytest.raises(ApplicationError, match="draft"):
        sales.offer_update(actor=org.sara, offer=offer, data={"title": "Nowy"})
    with pytest.raises(ApplicationError, match="draft"):
        sales.offer_replace_lines(actor=org.sara, offer=offer, lines=LINES[:1])

    offer.refresh_from_db()
    assert (offer.title, offer.lines.count()) == ("PV 9 kWp", 3)


def test_a_sent_offer_is_not_editable_through_a_copy_loaded_before_it_was_sent(org, offer):
    stale = Offer.objects.get(pk=offer.pk)
    sales.offer_set_status(actor=org.sara, offer=offer, status=Status.SENT)

    with pytest.raises(ApplicationError, match="draft"):
        sales.offer_update(actor=org.sara, offer=stale, data={"title": "Nowy"})

    offer.refresh_from_db()
    assert offer.title == "PV 9 kWp"


# --- revisions -------------------------------------------------------------------------------


def test_revising_makes_a_new_draft_and_supersedes_the_old_one(org, offer):
    sales.offer_set_status(actor=org.sara, offer=offer, status=Status.SENT)

    new = sales.offer_revise(actor=org.sara, offer=offer)

    offer.refresh_from_db()
    assert offer.status == Status.SUPERSEDED
    assert offer.is_superseded
    assert (new.number, new.revision_number, new.status) == (offer.number, 2, Status.DRAFT)
    assert new.supersedes == offer
    assert offer.superseded_by == new
    assert [
        (line.position, line.description, line.quantity, line.unit_price, line.vat_rate)
        for line in new.lines.all()
    ] == [
        (line.position, line.description, line.quantity, line.unit_price, line.vat_rate)
        for line in offer.lines.all()
    ]
    assert (new.total_net, new.total_gross, new.total_cost) == (
        offer.total_net,
        offer.total_gross,
        offer.total_cost,
    )


def test_the_superseded_revision_stays_readable_with_its_own_lines(org, offer):
    new = sales.offer_revise(actor=org.sara, offer=offer)
    sales.offer_replace_lines(actor=org.sara, offer=new, lines=LINES[:1])

    old = Offer.objects.get(pk=offer.pk)
    assert old.lines.count() == 3
    assert old.total_net == D("20749.88")
    assert new.lines.count() == 1
    assert OfferLine.objects.filter(offer=old).count() == 3


def test_revising_twice_counts_revisions_up(org, offer):
    second = sales.offer_revise(actor=org.sara, offer=offer)
    third = sales.offer_revise(actor=org.sara, offer=second)

    assert third.revision_number == 3
    assert str(third) == f"{offer.number}/R3"
    assert list(
        Offer.objects.filter(number=offer.number)
        .order_by("revision_number")
        .values_list("status", flat=True)
    ) == [Status.SUPERSEDED, Status.SUPERSEDED, Status.DRAFT]


@pytest.mark.parametrize("status", [Status.SUPERSEDED, Status.ACCEPTED])
def test_a_superseded_or_accepted_offer_cannot_be_revised(org, offer, status):
    Offer.objects.filter(pk=offer.pk).update(status=status)
    offer.refresh_from_db()

    with pytest.raises(ApplicationError, match="revised"):
        sales.offer_revise(actor=org.sara, offer=offer)

    assert Offer.objects.count() == 1


def test_an_old_revision_cannot_be_revised_again_through_a_stale_copy(org, offer):
    stale = Offer.objects.get(pk=offer.pk)
    sales.offer_revise(actor=org.sara, offer=offer)

    with pytest.raises(ApplicationError):
        sales.offer_revise(actor=org.sara, offer=stale)

    assert Offer.objects.count() == 2


# --- statuses --------------------------------------------------------------------------------


@pytest.mark.parametrize("final", [Status.ACCEPTED, Status.REJECTED])
def test_an_offer_goes_from_draft_to_sent_to_accepted_or_rejected(org, offer, final):
    sent = sales.offer_set_status(actor=org.sara, offer=offer, status=Status.SENT)
    done = sales.offer_set_status(actor=org.sara, offer=sent, status=final)

    assert done.status == final
    assert [
        e.changes["status"]
        for e in AuditEntry.objects.filter(object_id=offer.pk, action="update").order_by("id")
    ] == [["draft", "sent"], ["sent", final]]


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], Status.ACCEPTED),
        ([], Status.REJECTED),
        ([], Status.SUPERSEDED),
        ([], "bogus"),
        ([Status.SENT], Status.DRAFT),
        ([Status.SENT], Status.SENT),
        ([Status.SENT, Status.ACCEPTED], Status.REJECTED),
        ([Status.SENT, Status.REJECTED], Status.ACCEPTED),
        ([Status.SENT, Status.ACCEPTED], Status.DRAFT),
    ],
)
def test_other_status_changes_are_refused(org, offer, path, refused):
    for status in path:
        offer = sales.offer_set_status(actor=org.sara, offer=offer, status=status)

    with pytest.raises(ApplicationError) as raised:
        sales.offer_set_status(actor=org.sara, offer=offer, status=refused)

    assert "status" in raised.value.field_errors
    offer.refresh_from_db()
    assert offer.status == (path[-1] if path else Status.DRAFT)


def test_a_stale_copy_cannot_reject_an_accepted_offer(org, offer):
    offer = sales.offer_set_status(actor=org.sara, offer=offer, status=Status.SENT)
    stale = Offer.objects.get(pk=offer.pk)
    sales.offer_set_status(actor=org.sara, offer=offer, status=Status.ACCEPTED)

    with pytest.raises(ApplicationError):
        sales.offer_set_status(actor=org.sara, offer=stale, status=Status.REJECTED)

    offer.refresh_from_db()
    assert offer.status == Status.ACCEPTED


def test_an_offer_without_lines_cannot_be_sent(org, account):
    empty = sales.offer_create(actor=org.sara, account=account, title="PV", lines=[])

    with pytest.raises(ApplicationError, match="without lines"):
        sales.offer_set_status(actor=org.sara, offer=empty, status=Status.SENT)


def test_a_superseded_offer_cannot_be_sent(org, offer):
    sales.offer_revise(actor=org.sara, offer=offer)
    offer.refresh_from_db()

    with pytest.raises(ApplicationError):
        sales.offer_set_status(actor=org.sara, offer=offer, status=Status.SENT)


def test_the_board_cannot_accept_an_offer_it_only_sees(org, account):
    opportunity = OpportunityFactory(account=account, owner=org.sara, escalated_to_board=True)
    offer = sales.offer_create(
        actor=org.sara, account=account, title="PV", lines=LINES, opportunity=opportunity
    )
    offer = sales.offer_set_status(actor=org.sara, offer=offer, status=Status.SENT)

    with pytest.raises(PermissionDenied):
        sales.offer_set_status(actor=org.board, offer=offer, status=Status.ACCEPTED)


# --- contracts -------------------------------------------------------------------------------


def test_a_contract_from_an_offer_copies_its_values(org, account):
    opportunity = OpportunityFactory(account=account, owner=org.sara)
    offer = sales.offer_create(
        actor=org.sara, account=account, title="PV 9 kWp", lines=LINES, opportunity=opportunity
    )

    contract = sales.contract_create(actor=org.sara, account=account, data={"offer": offer})

    contract.refresh_from_db()
    assert (contract.value_net, contract.value_gross) == (D("20749.88"), D("23504.87"))
    assert (contract.title, contract.opportunity, contract.offer) == (
        "PV 9 kWp",
        opportunity,
        offer,
    )
    assert (contract.status, contract.owner, contract.account) == (
        Contract.Status.DRAFT,
        org.sara,
        account,
    )
    assert contract.number == f"UM/{date.today().year}/00001"


def test_contract_data_given_explicitly_wins_over_the_offer(org, offer, account):
    contract = sales.contract_create(
        actor=org.sara, account=account, data={"offer": offer, "title": "Umowa PV"}
    )
    assert (contract.title, contract.value_net) == ("Umowa PV", D("20749.88"))


def test_a_contract_cannot_take_another_accounts_offer(org, offer):
    other = AccountFactory(owner=org.sara)

    with pytest.raises(ApplicationError) as raised:
        sales.contract_create(actor=org.sara, account=other, data={"offer": offer})

    assert "offer" in raised.value.field_errors
    assert not Contract.objects.exists()


@pytest.mark.parametrize("how", ["superseded", "rejected"])
def test_a_contract_cannot_be_made_from_an_outdated_or_rejected_offer(org, offer, account, how):
    if how == "superseded":
        sales.offer_revise(actor=org.sara, offer=offer)
    else:
        sent = sales.offer_set_status(actor=org.sara, offer=offer, status=Status.SENT)
        sales.offer_set_status(actor=org.sara, offer=sent, status=Status.REJECTED)
    offer.refresh_from_db()

    with pytest.raises(ApplicationError) as raised:
        sales.contract_create(actor=org.sara, account=account, data={"offer": offer})

    assert "offer" in raised.value.field_errors
    assert not Contract.objects.exists()


def test_a_contract_ending_before_it_starts_is_refused(org, account):
    with pytest.raises(ApplicationError) as raised:
        sales.contract_create(
            actor=org.sara,
            account=account,
            data={
                "title": "Umowa",
                "starts_on": date(2026, 5, 1),
                "ends_on": date(2026, 4, 30),
            },
        )

    assert "ends_on" in raised.value.field_errors
    assert not Contract.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_contract_ending_on_its_first_day_is_fine(org, account):
    contract = sales.contract_create(
        actor=org.sara,
        account=account,
        data={"title": "Umowa", "starts_on": date(2026, 5, 1), "ends_on": date(2026, 5, 1)},
    )
    stored = Contract.objects.get(pk=contract.pk)
    assert (stored.starts_on, stored.ends_on) == (date(2026, 5, 1), date(2026, 5, 1))


def test_a_contract_with_gross_below_net_is_refused(org, account):
    with pytest.raises(ApplicationError) as raised:
        sales.contract_create(
            actor=org.sara,
            account=account,
            data={"title": "Umowa", "value_net": D("100.00"), "value_gross": D("99.99")},
        )
    assert "value_gross" in raised.value.field_errors


def test_a_contract_update_with_end_before_start_is_refused(org, account):
    contract = sales.contract_create(
        actor=org.sara, account=account, data={"title": "Umowa", "starts_on": date(2026, 5, 1)}
    )

    with pytest.raises(ApplicationError):
        sales.contract_update(
            actor=org.sara, contract=contract, data={"ends_on": date(2026, 1, 1)}, revision=1
        )

    contract.refresh_from_db()
    assert (contract.ends_on, contract.revision) == (None, 1)
