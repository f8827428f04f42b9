"""Demo data of the business-support institution: grant projects at every state.

Called by `obieg demo` with the demo organisation; idempotent: nothing is
added when grant projects exist. Every project goes through the real
services and the engine, with the clock set to the days the work happened,
so each has its case, history, contract PDF and DOCX, invoices issued by the
payment schedule on their days, claims, indicators, reports, reminders and
escalations exactly as if the demo users had worked for years:

- IOB/…/0001  contract in preparation (the advisor's task);
- 0002  contract awaiting the manager's approval;
- 0003  contract sent, awaiting the client's signature (the link is in the outbox);
- 0004  application under evaluation;
- 0005  grant rejected;
- 0006  realisation: success fee invoiced, claims planned, the first filed with
        its expenses and documents, an overdue invoice reminded;
- 0007  durability: indicators measured (one below target), a report submitted,
        the next one overdue and escalated;
- 0008  closed after its three-year durability period.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from obieg.billing.invoicing import SCHEDULER
from obieg.billing.models import CompanyProfile, Invoice, ScheduleItem
from obieg.billing.payments import payment_record
from obieg.billing.schedules import issue_due_invoices
from obieg.core import clock
from obieg.crm.models import Account, Opportunity
from obieg.demo.identifiers import demo_nip
from obieg.engine import deploy, timers
from obieg.engine.models import WorkItem
from obieg.engine.runtime import services as engine
from obieg.solutions.grants import claim_documents, claims, durability, links, schedule
from obieg.solutions.grants import services as grants
from obieg.solutions.grants.models import GrantProject, PaymentClaim
from obieg.solutions.grants.scan import scan

WARSAW = ZoneInfo("Europe/Warsaw")
# Identifier indexes far from the other demo data's, so NIPs never collide.
IDENTIFIER_BASE = 80_000_000

CLIENTS = (
    ("Piekarnia Kłos Sp. z o.o.", "Kraków", "Nowa linia wypieku z odzyskiem ciepła"),
    ("Stolarnia Dębowa Sp. j.", "Nowy Sącz", "Robotyzacja linii lakierniczej"),
    ("Agro-Tech Mazury Sp. z o.o.", "Olsztyn", "Sortownia warzyw z wizyjną kontrolą jakości"),
    ("Drukarnia Słowo S.A.", "Lublin", "Druk cyfrowy małych nakładów"),
    ("Mleczarnia Podhale Sp. z o.o.", "Nowy Targ", "Linia serów dojrzewających"),
    ("Metal-Serwis Śląsk Sp. z o.o.", "Gliwice", "Cięcie laserowe blach z automatycznym magazynem"),
    ("Zielona Energia Warmia Sp. z o.o.", "Elbląg", "Magazyn energii dla zakładu produkcyjnego"),
    ("Tkalnia Łódzka Sp. z o.o.", "Łódź", "Wdrożenie przędzy z recyklingu"),
)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=WARSAW)


# Clients who pay late: their invoices of the last months stay unpaid, so the scan chases them.
LATE_PAYERS: set[int] = set()
LATE_FOR = timedelta(days=120)
# Who records the payments the clients make (the demo's accountant).
BOOKKEEPER: dict[str, object] = {}


def _clients_pay(day: date) -> None:
    """Clients pay a week after the issue; the late payers leave their recent invoices unpaid."""
    week_ago = day - timedelta(days=7)
    for invoice in Invoice.objects.filter(status=Invoice.Status.ISSUED, issue_date__lte=week_ago):
        if invoice.buyer_id in LATE_PAYERS and invoice.issue_date > clock_day() - LATE_FOR:
            continue
        payment_record(
            actor=BOOKKEEPER.get("user", SCHEDULER),
            invoice=invoice,
            amount=invoice.outstanding,
            paid_on=invoice.issue_date + timedelta(days=7),
        )


def clock_day() -> date:
    return BOOKKEEPER["today"]  # type: ignore[return-value]


def _days_until(day: date) -> None:
    """What the worker's clock did each day before `day`: invoices, payments, the scan."""
    while True:
        pending = ScheduleItem.objects.filter(invoice__isnull=True, due_date__lt=day)
        first = pending.order_by("due_date").values_list("due_date", flat=True).first()
        if first is None:
            return
        with clock.frozen(at(first, 7), all_threads=True):
            issue_due_invoices(actor=SCHEDULER)
            _clients_pay(first)
            scan()


@contextlib.contextmanager
def on(day: date, hour: int = 10) -> Iterator[None]:
    """Do the work of `day`: the clock says so, and the schedule and the scan run as they would."""
    _days_until(day)
    with clock.frozen(at(day, hour), all_threads=True):
        yield
        timers.fire_due_timers()
        issue_due_invoices(actor=SCHEDULER)
        _clients_pay(day)
        scan()


def _task(project: GrantProject, element_id: str) -> WorkItem:
    return WorkItem.objects.get(case_id=project.case_id, status="open", element_id=element_id)


def _do(project: GrantProject, element_id: str, actor, **data) -> None:
    engine.complete(work_item=_task(project, element_id), actor=actor, data=data)


def _reload(project: GrantProject) -> GrantProject:
    return GrantProject.objects.select_related("application", "contract").get(pk=project.pk)


class Story:
    """One demo project, told step by step by the demo's people."""

    def __init__(self, org, index: int, started: date):
        self.advisor = org.user("salesperson")
        self.manager = org.user("sales_manager")
        self.coordinator = org.user("coordinator")
        self.accountant = org.user("accountant")
        self.started = started
        name, city, title = CLIENTS[index]
        self.client = Account.objects.create(
            name=name,
            nip=demo_nip(IDENTIFIER_BASE + index),
            street=f"ul. Przemysłowa {index + 3}",
            postal_code="30-001",
            city=city,
            email=f"biuro{index + 1}@klient-iob.example",
            owner=self.advisor,
        )
        self.title = title
        self.project: GrantProject | None = None

    def start(self) -> None:
        with on(self.started):
            opportunity = Opportunity.objects.create(
                account=self.client,
                name=f"Dotacja: {self.title}",
                owner=self.advisor,
                value=Decimal("30000.00"),
                stage=Opportunity.Stage.WON,
            )
            self.project = grants.project_start(
                actor=self.advisor,
                opportunity=opportunity,
                data={
                    "title": self.title,
                    "programme": "Fundusze Europejskie dla Nowoczesnej Gospodarki 2021-2027",
                    "call": "FENG.01.01-IP.02-001/26",
                    "requested_amount": Decimal("800000.00"),
                    "co_financing_rate": Decimal("65.00"),
                    "coordinator": self.coordinator,
                    "success_fee_percent": Decimal("4.00"),
                    "durability_years": 3,
                },
            )

    def prepare(self) -> None:
        """The fixed remuneration: 6,000 net for the application, then 12 monthly instalments."""
        project = self.project
        with on(self.started):
            schedule.set_terms(
                actor=self.advisor,
                project=project,
                fixed_remuneration=Decimal("18000.00"),
                contract_starts_on=self.started,
            )
            schedule.add_fixed_fee(
                actor=self.advisor,
                project=project,
                due_date=self.started + timedelta(days=14),
                amount=Decimal("7380.00"),
                description="Przygotowanie wniosku o dofinansowanie",
            )
            schedule.add_instalments(
                actor=self.advisor,
                project=project,
                total=Decimal("14760.00"),
                count=12,
                first_due=self.started + timedelta(days=45),
            )
            _do(
                project,
                "prepare_contract",
                self.advisor,
                fixed_remuneration="18000.00",
                contract_starts_on=self.started.isoformat(),
                contract_ends_on="",
            )

    def approve(self) -> None:
        with on(self.started + timedelta(days=1)):
            _do(self.project, "approve_contract", self.manager, contract_decision="approve")

    def sign(self) -> None:
        with on(self.started + timedelta(days=4)):
            grants.accept_by_link(token=links.contract_token(_reload(self.project)))

    def submit(self) -> date:
        day = self.started + timedelta(days=10)
        with on(day):
            _do(
                self.project,
                "submit_application",
                self.coordinator,
                application_number=f"FENG.01.01-IP.02-{self.project.pk:04}/{day:%y}",
                submitted_on=day.isoformat(),
            )
        return day

    def evaluate(self, verdict: str, day: date, awarded: str = "") -> None:
        data = {"evaluation": verdict, "decided_on": day.isoformat()}
        if awarded:
            data["awarded_amount"] = awarded
        with on(day):
            _do(self.project, "record_evaluation", self.coordinator, **data)

    def agree(self, day: date, starts: date, ends: date) -> None:
        with on(day):
            _do(
                self.project,
                "record_agreement",
                self.coordinator,
                agreement_signed_on=day.isoformat(),
                grant_received_on=day.isoformat(),
                realisation_starts_on=starts.isoformat(),
                realisation_ends_on=ends.isoformat(),
                advance_amount="0",
                interim_months="6",
                days_to_file="30",
            )

    def file_claims(self, until: date) -> None:
        """Expenses, documents and submission of every claim whose period ended by `until`."""
        for claim in PaymentClaim.objects.filter(project=self.project, period_to__lt=until):
            with on(claim.period_to + timedelta(days=5)):
                claims.expenses_add(actor=self.coordinator, claim=claim, rows=_expenses(claim))
                claim_documents.generate(actor=self.coordinator, claim=claim)
                claims.claim_submit(actor=self.coordinator, claim=claim)

    def final_payment(self, day: date) -> None:
        with on(day):
            _do(
                self.project,
                "record_final_payment",
                self.coordinator,
                final_payment_on=day.isoformat(),
            )

    def indicators(self, below: bool) -> None:
        for name, unit, baseline, target in (
            ("Liczba wdrożonych innowacji procesowych", "szt.", "0", "1"),
            ("Przychody ze sprzedaży nowych produktów", "tys. zł", "0", "1200"),
            ("Liczba nowych miejsc pracy", "etaty", "0", "4"),
        ):
            durability.indicator_add(
                actor=self.coordinator,
                project=self.project,
                data={
                    "name": name,
                    "kind": "result",
                    "unit": unit,
                    "baseline": baseline,
                    "target": target,
                    "higher_is_better": True,
                },
            )
        self.shortfall = below


def _expenses(claim: PaymentClaim) -> list[dict]:
    """Three invoices paid inside the claim's period."""
    first = claim.period_from + timedelta(days=10)
    rows = []
    for n, (supplier, what, net) in enumerate(
        (
            ("Maszyny Pol Sp. z o.o.", "Piec tunelowy", "180000.00"),
            ("Automatyka Plus S.A.", "Sterowanie linii", "45000.00"),
            ("Instal-Bud Sp. z o.o.", "Montaż i rozruch", "20000.00"),
        )
    ):
        net_amount = Decimal(net)
        gross = (net_amount * Decimal("1.23")).quantize(Decimal("0.01"))
        day = min(first + timedelta(days=20 * n), claim.period_to)
        rows.append(
            {
                "document_number": f"FV/{day:%Y}/{claim.pk}/{n + 1}",
                "supplier": supplier,
                "description": what,
                "category": "Środki trwałe",
                "issued_on": day,
                "paid_on": day,
                "net": net_amount,
                "gross": gross,
                "eligible": net_amount,
            }
        )
    return rows


def _ensure_seller() -> None:
    if CompanyProfile.objects.exists():
        return
    CompanyProfile.objects.create(
        name="Fundacja Wspierania Przedsiębiorczości",
        nip="5260250274",
        street="ul. Rynek Główny 1",
        postal_code="31-042",
        city="Kraków",
        bank_account="PL61109010140000071219812874",
        place_of_issue="Kraków",
        email="faktury@iob.example",
    )


def create_demo(organisation) -> None:
    if GrantProject.objects.exists():
        return
    deploy.deploy_all()
    _ensure_seller()
    BOOKKEEPER["user"] = organisation.user("accountant")
    BOOKKEEPER["today"] = clock.today()
    today = clock.today()

    def story(index: int, months_ago: int) -> Story:
        started = today - timedelta(days=30 * months_ago)
        while started.weekday() >= 5:  # the office starts projects on working days
            started -= timedelta(days=1)
        told = Story(organisation, index, started)
        told.start()
        return told

    story(0, 0)  # contract in preparation

    awaiting_approval = story(1, 0)
    awaiting_approval.prepare()

    awaiting_signature = story(2, 1)
    awaiting_signature.prepare()
    awaiting_signature.approve()

    evaluated = story(3, 4)
    evaluated.prepare()
    evaluated.approve()
    evaluated.sign()
    submitted = evaluated.submit()
    evaluated.evaluate("under_evaluation", submitted + timedelta(days=30))

    rejected = story(4, 6)
    rejected.prepare()
    rejected.approve()
    rejected.sign()
    submitted = rejected.submit()
    rejected.evaluate("rejected", submitted + timedelta(days=90))

    realising = story(5, 14)
    LATE_PAYERS.add(realising.client.pk)
    realising.prepare()
    realising.approve()
    realising.sign()
    submitted = realising.submit()
    decided = submitted + timedelta(days=90)
    realising.evaluate("approved", decided, awarded="720000.00")
    realising.agree(
        decided + timedelta(days=14), decided + timedelta(days=21), today + timedelta(days=200)
    )
    realising.indicators(below=False)
    realising.file_claims(until=today)

    durable = story(6, 44)
    durable.prepare()
    durable.approve()
    durable.sign()
    submitted = durable.submit()
    decided = submitted + timedelta(days=60)
    durable.evaluate("approved", decided, awarded="800000.00")
    realisation_ends = decided + timedelta(days=300)
    durable.agree(decided + timedelta(days=10), decided + timedelta(days=14), realisation_ends)
    durable.indicators(below=True)
    durable.file_claims(until=realisation_ends + timedelta(days=1))
    durable.final_payment(realisation_ends + timedelta(days=60))
    _measure_and_report(durable, today)

    closed = story(7, 60)
    closed.prepare()
    closed.approve()
    closed.sign()
    submitted = closed.submit()
    decided = submitted + timedelta(days=45)
    closed.evaluate("approved", decided, awarded="600000.00")
    realisation_ends = decided + timedelta(days=200)
    closed.agree(decided + timedelta(days=10), decided + timedelta(days=14), realisation_ends)
    closed.indicators(below=False)
    closed.file_claims(until=realisation_ends + timedelta(days=1))
    closed.final_payment(realisation_ends + timedelta(days=30))
    _measure_and_report(closed, today, leave_late=False)
    with on(today):
        pass  # the timers and the scan of today: the closed project's period ended


def _measure_and_report(story: Story, today: date, *, leave_late: bool = True) -> None:
    """Measure every indicator and submit every report due before today (but a late last one)."""
    project = _reload(story.project)
    from obieg.solutions.grants.models import DurabilityReport, Measurement

    measurements = Measurement.objects.filter(
        indicator__project=project, due_date__lt=today
    ).select_related("indicator")
    for measurement in measurements.order_by("due_date", "id"):
        indicator = measurement.indicator
        short = story.shortfall and indicator.unit == "etaty"
        value = indicator.target - 2 if short else indicator.target
        with on(measurement.due_date):
            durability.record_measurement(
                actor=story.coordinator,
                measurement=measurement,
                value=value,
                measured_on=measurement.due_date,
            )
    due = list(DurabilityReport.objects.filter(project=project, due_date__lt=today))
    for report in due[:-1] if leave_late else due:  # a late one: the scan escalated it
        with on(report.due_date - timedelta(days=3)):
            durability.report_submit(actor=story.coordinator, report=report)
