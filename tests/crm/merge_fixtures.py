"""One record of every kind that points at an account, for the merge tests."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from obieg.billing import invoicing, payments
from obieg.billing.models import CompanyProfile
from obieg.crm.models import Account, Activity, ContactPerson, Lead, Opportunity
from obieg.documents.models import Document
from obieg.engine.models import Case, ProcessDefinition, WorkItem
from obieg.sales.models import Contract, Offer
from obieg.scheduling.models import CalendarEvent
from obieg.solutions.expert_opinions.models import Inquiry
from obieg.solutions.grants.models import GrantProject
from obieg.solutions.pv_installation.models import PVProject

SELLER_NIP = "5260250274"


def seller_profile() -> CompanyProfile:
    return CompanyProfile.objects.get_or_create(
        nip=SELLER_NIP,
        defaults=dict(
            name="Słoneczna Energia Sp. z o.o.",
            regon="146321453",
            street="ul. Żółkiewskiego 12/4",
            postal_code="31-539",
            city="Kraków",
            bank_account="PL61109010140000071219812874",
            place_of_issue="Kraków",
            payment_days=14,
        ),
    )[0]


def definition() -> ProcessDefinition:
    return ProcessDefinition.objects.get_or_create(
        key="merge_test",
        version=1,
        defaults=dict(
            name="Merge test process",
            source_name="merge_test.bpmn",
            sources={"merge_test.bpmn": "<definitions/>"},
            checksum="0" * 64,
        ),
    )[0]


def case_of(subject, *, owner, title: str, step: str = "") -> Case:
    case = Case.objects.create(
        definition=definition(),
        title=title,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        owner=owner,
        status="waiting",
    )
    if step:
        WorkItem.objects.create(
            case=case, task_id=_uuid(case.pk), element_id="step", name=step, assignee=owner
        )
    return case


def _uuid(seed: int):
    import uuid

    return uuid.uuid5(uuid.NAMESPACE_OID, f"merge-test-{seed}")


def every_kind_of_record(account: Account, org, *, tag: str) -> dict[str, object]:
    """One record of each relation to `account`, keyed by the relation ("sales.offer.account")."""
    owner = account.owner or org.sara
    contact = ContactPerson.objects.create(
        account=account, first_name="Jan", last_name=f"Kowalski {tag}", is_primary=True
    )
    opportunity = Opportunity.objects.create(account=account, name=f"PV {tag}", owner=owner)
    offer = Offer.objects.create(number=f"OF/{tag}", account=account, title=f"Offer {tag}")
    contract = Contract.objects.create(number=f"UM/{tag}", account=account, title=f"Umowa {tag}")
    seller_profile()
    invoice = invoicing.invoice_issue(
        actor=org.accountant,
        buyer=account,
        lines=[{"description": "Serwis", "quantity": "1", "unit_price": "100", "vat_rate": "23"}],
    )
    payments.payment_record(actor=org.accountant, invoice=invoice, amount=Decimal("50.00"))
    document = Document.objects.create(title=f"Skan {tag}", kind="correspondence", account=account)
    records = {
        "crm.contactperson.account": contact,
        "crm.activity.account": Activity.objects.create(
            account=account,
            kind=Activity.Kind.CALL,
            subject=f"Call {tag}",
            occurs_at=timezone.now(),
            contact=contact,
            opportunity=opportunity,
        ),
        "crm.lead.account": Lead.objects.create(
            account=account, source="phone", contact_name=f"Lead {tag}", phone="600100200"
        ),
        "crm.opportunity.account": opportunity,
        "sales.offer.account": offer,
        "sales.contract.account": contract,
        "billing.invoice.buyer": invoice,
        "documents.document.account": document,
        "documents.document.subject_id": Document.objects.create(
            title=f"Notatka {tag}",
            kind="correspondence",
            subject_type=ContentType.objects.get_for_model(Account),
            subject_id=account.pk,
        ),
        "pv_installation.pvproject.account": PVProject.objects.create(
            account=account, owner=owner, site_address="ul. Polna 1"
        ),
        "expert_opinions.inquiry.account": Inquiry.objects.create(
            number=f"ZAP/{tag}", account=account, subject=f"Opinia {tag}", owner=owner
        ),
        "grants.grantproject.account": GrantProject.objects.create(
            number=f"GR/{tag}", title=f"Grant {tag}", account=account, advisor=owner
        ),
        "engine.case.subject_id": case_of(account, owner=owner, title=f"Case {tag}"),
        "scheduling.calendarevent.subject_id": CalendarEvent.objects.create(
            title=f"Visit {tag}",
            start=timezone.now(),
            end=timezone.now() + timedelta(hours=1),
            user=owner,
            subject_type=ContentType.objects.get_for_model(Account),
            subject_id=account.pk,
        ),
    }
    return records
