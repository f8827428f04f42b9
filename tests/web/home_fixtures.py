"""Records the role home pages show: activities, process tasks, schedule items, invoices."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import count

from django.utils import timezone

from obieg.billing.models import Invoice, InvoiceKind, InvoiceSeries, ScheduleItem
from obieg.crm.models import Activity, Opportunity
from obieg.engine.models import Case, ProcessDefinition, WorkItem
from obieg.sales.models import Contract
from tests.factories import AccountFactory, ActivityFactory, OpportunityFactory

_numbers = count(1)


def at(days: int, hour: int = 10) -> datetime:
    """`days` from today (local time) at `hour` o'clock."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


def opportunity(owner, stage=Opportunity.Stage.QUALIFICATION, value="1000.00", probability=10):
    """An opportunity of `owner`'s, at an account of their own."""
    return OpportunityFactory(
        account=AccountFactory(owner=owner),
        owner=owner,
        stage=stage,
        value=Decimal(value),
        probability=probability,
    )


def activity(owner, *, occurs_at, kind=Activity.Kind.CALL, status=Activity.Status.PLANNED, **kw):
    account = kw.pop("account", None) or AccountFactory(owner=owner)
    return ActivityFactory(
        account=account, owner=owner, occurs_at=occurs_at, kind=kind, status=status, **kw
    )


def _definition() -> ProcessDefinition:
    return ProcessDefinition.objects.get_or_create(
        key="home_test",
        version=1,
        defaults=dict(
            name="Home test process",
            source_name="home_test.bpmn",
            sources={"home_test.bpmn": "<definitions/>"},
            checksum="0" * 64,
        ),
    )[0]


def task(name: str, *, owner, status="waiting", due_at=None, **routing) -> WorkItem:
    """An open work item of a new case; `routing`: assignee, candidate_group or department."""
    case = Case.objects.create(
        definition=_definition(), title=f"Case of {name}", owner=owner, status=status
    )
    return WorkItem.objects.create(
        case=case,
        task_id=uuid.uuid4(),
        element_id="step",
        name=name,
        due_at=due_at,
        **routing,
    )


def _series() -> InvoiceSeries:
    return InvoiceSeries.objects.get_or_create(
        pattern="FVH/{seq}", defaults={"kind": InvoiceKind.VAT, "name": "VAT"}
    )[0]


def invoice(owner, *, due_date: date, status=Invoice.Status.ISSUED, gross="1230.00", paid="0"):
    account = AccountFactory(owner=owner)
    number = next(_numbers)
    return Invoice.objects.create(
        number=f"FV/{number}/HOME",
        kind=InvoiceKind.VAT,
        series=_series(),
        status=status,
        buyer=account,
        issue_date=due_date - timedelta(days=14),
        due_date=due_date,
        seller_name="Słoneczna Energia",
        seller_nip="5260250274",
        seller_street="ul. Żółkiewskiego 12",
        seller_postal_code="31-539",
        seller_city="Kraków",
        seller_bank_account="PL61109010140000071219812874",
        buyer_kind=account.kind,
        buyer_name=account.name,
        net=(Decimal(gross) / Decimal("1.23")).quantize(Decimal("0.01")),
        vat=Decimal(gross) - (Decimal(gross) / Decimal("1.23")).quantize(Decimal("0.01")),
        gross=Decimal(gross),
        paid=Decimal(paid),
    )


def schedule_item(owner, *, due_date: date, amount="5000.00", last_error="") -> ScheduleItem:
    account = AccountFactory(owner=owner)
    number = next(_numbers)
    contract = Contract.objects.create(
        number=f"UM/{number}/HOME", account=account, owner=owner, title="PV"
    )
    return ScheduleItem.objects.create(
        contract=contract,
        due_date=due_date,
        amount=Decimal(amount),
        kind=ScheduleItem.Kind.INSTALMENT,
        last_error=last_error,
    )
