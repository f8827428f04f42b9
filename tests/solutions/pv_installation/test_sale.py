"""The sale: lead, audit, design, offer rounds, contract approval and acceptance."""

from decimal import Decimal

import pytest
from django.core import signing

from obieg.core.errors import ApplicationError
from obieg.documents.models import Document
from obieg.mail.models import OutboxMessage
from obieg.sales.models import Contract, Offer
from obieg.solutions.pv_installation import estimates, links, services
from tests.solutions.pv_installation.helpers import (
    AUDIT,
    DESIGN,
    NET,
    accept_offer,
    case_of,
    complete,
    new_project,
    open_items,
    reload,
    to_contract_sent,
    to_offer,
)


def test_a_salespersons_lead_starts_a_case_with_the_audit_in_their_inbox(org):
    project = new_project(org)
    item_owner = case_of(project).work_items.get(element_id="audit").assignee
    assert open_items(case_of(project)) == ["audit"]
    assert item_owner == org.sara
    assert project.account.name == "Jan Kowalski"
    assert reload(project).lead.status == "converted"


def test_the_design_is_priced_as_an_offer_at_8_percent_for_a_home(org, profile):
    project = to_offer(org, new_project(org))
    case = case_of(project)
    offer = project.offer
    assert case.data["vat_rate"] == "8"
    assert Decimal(case.data["suggested_power_kwp"]) == Decimal("6.50")  # 6,500 kWh / 1,000
    assert Decimal(case.data["power_kwp"]) == Decimal("6.3")  # what was designed: 14 × 450 Wp
    assert offer.status == Offer.Status.SENT
    assert offer.total_net == Decimal(NET)
    assert offer.total_gross == (Decimal(NET) * Decimal("1.08")).quantize(Decimal("0.01"))
    assert [line.unit_cost for line in offer.lines.order_by("position")] == [420, 5200, 3100]
    assert project.offer_document.versions.get().file.read()[:4] == b"%PDF"
    mail = OutboxMessage.objects.get()
    assert mail.to == "jan.kowalski@example.com" and "/pv/c/" in mail.body
    assert open_items(case) == []


def test_a_non_residential_building_pays_23_percent(org):
    project = new_project(org)
    complete(case_of(project), "audit", org.sara, {**AUDIT, "building_type": "other"})
    complete(case_of(project), "design", org.designer, DESIGN)
    assert reload(project).offer.lines.first().vat_rate == "23"


def test_the_suggested_size_never_exceeds_the_connection_power():
    assert estimates.suggested_power_kwp(25000, Decimal("10")) == Decimal("10")
    assert estimates.suggested_power_kwp(4300, Decimal("10")) == Decimal("4.30")


def test_the_designer_sizes_it_by_the_modules(org):
    project = to_offer(org, new_project(org), panel_count="18", panel_wp="440")
    assert Decimal(case_of(project).data["power_kwp"]) == Decimal("7.92")


def test_two_change_rounds_supersede_the_older_revisions(org):
    project = to_offer(org, new_project(org))
    first = project.offer
    for round_number in (2, 3):
        services.customer_answer_offer(
            project=project, offer_id=project.offer_id, accept=False, comment="Taniej proszę"
        )
        assert open_items(case_of(project)) == ["design"]
        complete(case_of(project), "design", org.designer, DESIGN)
        project = reload(project)
        assert project.offer.revision_number == round_number
        assert project.offer.number == first.number
    first.refresh_from_db()
    assert first.status == Offer.Status.SUPERSEDED
    assert Offer.objects.filter(number=first.number).count() == 3
    assert project.offer_document.versions.count() == 3  # every revision stays readable
    with pytest.raises(ApplicationError):  # an old link cannot accept a superseded offer
        services.customer_answer_offer(project=project, offer_id=first.pk, accept=True)


def test_asking_for_changes_needs_a_comment(org):
    project = to_offer(org, new_project(org))
    with pytest.raises(ApplicationError):
        services.customer_answer_offer(project=project, offer_id=project.offer_id, accept=False)


def test_an_accepted_offer_becomes_a_contract_for_the_managers_approval(org):
    project = to_offer(org, new_project(org))
    accept_offer(project)
    project = reload(project)
    assert project.offer.status == Offer.Status.ACCEPTED
    assert project.contract.status == Contract.Status.AWAITING_APPROVAL
    assert project.contract.value_gross == project.offer.total_gross
    assert open_items(case_of(project)) == ["approve_contract"]
    assert project.contract_document.versions.get().file.read()[:4] == b"%PDF"
    assert project.contract_docx.versions.get().file.read()[:2] == b"PK"


def test_a_returned_contract_is_revised_and_approved_again(org):
    project = to_offer(org, new_project(org))
    accept_offer(project)
    case = case_of(project)
    with pytest.raises(ApplicationError):  # returning needs a comment
        complete(case, "approve_contract", org.manager, {"contract_approved": "no"})
    complete(
        case,
        "approve_contract",
        org.manager,
        {"contract_approved": "no", "approval_comment": "Zaliczka 50%"},
    )
    assert open_items(case) == ["revise_contract"]
    complete(case, "revise_contract", org.sara, {"advance_percent": "50"})
    project = reload(project)
    assert project.advance_percent == Decimal(50)
    assert project.contract_document.versions.count() == 2
    complete(case, "approve_contract", org.manager, {"contract_approved": "yes"})
    assert reload(project).contract.status == Contract.Status.SENT


def test_the_customer_accepts_the_contract_through_the_link(org):
    project = to_contract_sent(org, new_project(org))
    services.customer_accept_contract(project=project, contract_id=project.contract_id)
    project = reload(project)
    assert project.contract.status == Contract.Status.SIGNED
    assert open_items(case_of(project)) == ["plan_works", "record_advance_payment"]


def test_a_signed_scan_counts_as_acceptance(org, profile):
    from django.core.files.uploadedfile import SimpleUploadedFile

    project = to_contract_sent(org, new_project(org))
    scan = SimpleUploadedFile("skan.pdf", b"%PDF-1.4 podpisany")
    services.contract_scan_upload(actor=org.sara, project=project, file=scan)
    assert reload(project).contract.status == Contract.Status.SIGNED
    assert Document.objects.filter(title="Umowa — skan podpisany").exists()


def test_links_are_signed_and_expire(settings):
    token = links.make_token(1, "offer", 2)
    assert links.read_token(token) == links.LinkTarget(1, "offer", 2)
    with pytest.raises(signing.BadSignature):
        links.read_token(token[:-2] + "xx")
    settings.PV_CUSTOMER_LINK_MAX_AGE = -1
    with pytest.raises(signing.BadSignature):
        links.read_token(token)
