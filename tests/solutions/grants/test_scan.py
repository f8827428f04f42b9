"""The daily deadline scan: invoices out once, reminders and escalations once, however run."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.db import close_old_connections, connection
from django.urls import resolve

from obieg.billing import payments, schedules
from obieg.billing.invoicing import SCHEDULER
from obieg.core import clock
from obieg.mail.models import OutboxMessage
from obieg.solutions.grants import durability, links, obligations
from obieg.solutions.grants.models import GrantProject, Indicator, Obligation
from obieg.solutions.grants.scan import scan
from tests.billing.conftest import make_contract
from tests.solutions.grants.helpers import make_project

COORDINATOR, MANAGER, CLIENT = "celina@iob.example", "maria@iob.example", "biuro@klos.example"


def at(day: date, **kwargs):
    return clock.frozen(datetime(day.year, day.month, day.day, 7, tzinfo=UTC), **kwargs)


def run(day: date):
    with at(day):
        return scan(day)


def mails() -> list[tuple[str, str]]:
    return list(OutboxMessage.objects.order_by("id").values_list("to", "subject"))


@pytest.fixture
def managed(institution):
    """The manager has an address, so escalations reach her."""
    institution.manager.email = MANAGER
    institution.manager.save(update_fields=["email"])
    return institution


def in_durability(inst, paid: date, *, indicator: bool = False, years: int = 3) -> GrantProject:
    project = make_project(inst)
    GrantProject.objects.filter(pk=project.pk).update(durability_years=years)
    project.refresh_from_db()
    if indicator:
        Indicator.objects.create(
            project=project, kind="result", name="Miejsca pracy", unit="etaty", target=3
        )
    with at(paid):
        durability.start(actor=inst.coordinator, project=project, final_payment_on=paid)
    project.refresh_from_db()
    return project


def first_report_duty(project) -> Obligation:
    return Obligation.objects.get(report__project=project, report__number=1)


# --- durability reports ------------------------------------------------------------------


def test_a_report_is_reminded_and_escalated_once_when_the_scan_runs_twice(managed):
    project = in_durability(managed, date(2026, 3, 16))
    duty = first_report_duty(project)
    assert (duty.remind_on, duty.escalate_on, duty.due_date) == (
        date(2027, 3, 24),
        date(2027, 4, 12),
        date(2027, 4, 15),
    )

    before = run(date(2027, 3, 23))
    reminded = run(date(2027, 3, 24))
    again = run(date(2027, 3, 25))
    escalated = run(date(2027, 4, 12))
    twice = run(date(2027, 4, 12))

    assert before.reminded == [] and before.escalated == []
    assert reminded.reminded == [duty.pk] and again.reminded == []
    assert escalated.escalated == [duty.pk] and twice.escalated == []
    sent = mails()
    assert [to for to, _ in sent] == [COORDINATOR, COORDINATOR, MANAGER]
    assert all(project.number in subject for _, subject in sent)


def test_a_missed_report_escalates_to_the_coordinator_and_the_managers(managed):
    project = in_durability(managed, date(2026, 3, 16))
    duty = first_report_duty(project)

    report = run(date(2027, 4, 16))  # the day after it was due, nothing sent before

    assert report.reminded == [duty.pk] and report.escalated == [duty.pk]
    # The scan reminds first (the coordinator), then escalates (the coordinator and managers).
    reminder, *escalations = OutboxMessage.objects.order_by("id")
    assert reminder.to == COORDINATOR
    assert sorted(message.to for message in escalations) == [COORDINATOR, MANAGER]
    assert escalations[0].subject != reminder.subject
    for message in escalations:
        assert duty.title in message.subject and project.number in message.subject
        assert managed.client.name in message.body
    assert not OutboxMessage.objects.filter(to=CLIENT).exists()  # the grantor's duty is ours


def test_a_submitted_report_is_not_chased(managed):
    project = in_durability(managed, date(2026, 3, 16))
    report = project.durability_reports.get(number=1)
    with at(date(2027, 3, 20)):
        durability.report_submit(actor=managed.coordinator, report=report)

    result = run(date(2027, 4, 16))

    assert result.reminded == [] and result.escalated == []
    assert mails() == []


def test_escalation_days_count_back_over_new_year_and_epiphany(managed):
    project = in_durability(managed, date(2026, 12, 7))
    duty = first_report_duty(project)
    # Due Friday 7 Jan 2028 (6 Jan, Epiphany, is a holiday): 3 business days back skip it.
    assert duty.due_date == date(2028, 1, 7)
    assert duty.escalate_on == date(2028, 1, 3)
    # 15 business days back skip Christmas Eve (a Friday) and the Christmas weekend.
    assert duty.remind_on == date(2027, 12, 15)

    new_years_eve = run(date(2027, 12, 31))
    monday = run(date(2028, 1, 3))

    assert new_years_eve.reminded == [duty.pk] and new_years_eve.escalated == []
    assert monday.escalated == [duty.pk]


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_send_each_mail_once(managed):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent scans are exercised on PostgreSQL; SQLite serialises writers")
    projects = [in_durability(managed, date(2026, 3, 16), indicator=True) for _ in range(4)]
    start = threading.Barrier(2)
    errors: list[BaseException] = []
    results = []

    def worker():
        try:
            start.wait(timeout=20)
            results.append(scan(date(2027, 4, 16)))
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    with at(date(2027, 4, 16), all_threads=True):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    assert errors == []
    # Per project: report 1 and measurement 1 are both reminded and escalated.
    duties = Obligation.objects.filter(project__in=projects, due_date__lte=date(2027, 4, 16))
    assert duties.count() == 8
    reminded = sorted(pk for result in results for pk in result.reminded)
    escalated = sorted(pk for result in results for pk in result.escalated)
    assert reminded == escalated == sorted(duties.values_list("pk", flat=True))
    # Reminders: the coordinator for each duty, the client for each measurement;
    # escalations: the coordinator and the manager for each duty.
    assert OutboxMessage.objects.filter(to=COORDINATOR).count() == 16
    assert OutboxMessage.objects.filter(to=MANAGER).count() == 8
    assert OutboxMessage.objects.filter(to=CLIENT).count() == 4


# --- measurements ------------------------------------------------------------------------


def test_a_measurement_reminder_carries_the_clients_link(managed):
    project = in_durability(managed, date(2026, 3, 16), indicator=True)
    duty = Obligation.objects.get(project=project, kind="measurement", due_date=date(2027, 3, 16))

    result = run(duty.remind_on)

    assert result.reminded == [duty.pk]
    to_client = OutboxMessage.objects.get(to=CLIENT)
    url = next(word for word in to_client.body.split() if "/grants/measure/" in word)
    match = resolve(urlsplit(url).path)
    assert match.url_name == "measurement_entry"
    assert links.measurement_for_token(match.kwargs["token"]).pk == duty.measurement_id
    assert OutboxMessage.objects.filter(to=COORDINATOR).count() == 1


def test_a_measured_value_stops_the_chase(managed):
    project = in_durability(managed, date(2026, 3, 16), indicator=True)
    duty = Obligation.objects.get(project=project, kind="measurement", due_date=date(2027, 3, 16))
    with at(date(2027, 3, 5)):
        durability.record_measurement(
            measurement=duty.measurement, value="3", measured_on=date(2027, 3, 5), by_client=True
        )

    result = run(date(2027, 3, 17))

    assert duty.pk not in result.reminded and duty.pk not in result.escalated


# --- invoices ----------------------------------------------------------------------------


def test_an_invoice_is_mailed_once_reminded_when_overdue_and_done_when_paid(managed, seller):
    project = make_project(managed)
    contract = make_contract(managed.client, [("Doradztwo", "1", "10000.00", "23")], "UM/S/1")
    with at(date(2026, 5, 4)):
        item = schedules.schedule_item_add(
            actor=managed.accountant,
            contract=contract,
            due_date=date(2026, 5, 4),
            amount=Decimal("12300.00"),
            kind="final",
        )
        duty = obligations.plan(
            project=project, kind="payment", source=item, due=item.due_date, title="Rata końcowa"
        )

    # Before billing issued the invoice nothing is owed, whatever the dates say.
    nothing = run(date(2026, 6, 30))
    assert nothing.invoices_mailed == [] and nothing.reminded == [] and mails() == []

    with at(date(2026, 7, 1)):
        schedules.issue_due_invoices(actor=SCHEDULER, on=date(2026, 7, 1))
    item.refresh_from_db()
    invoice = item.invoice
    first = run(date(2026, 7, 1))
    second = run(date(2026, 7, 1))

    assert first.invoices_mailed == [invoice.pk] and second.invoices_mailed == []
    mailed = OutboxMessage.objects.get(to=CLIENT)
    assert invoice.number in mailed.subject
    assert [a.name for a in mailed.attachments.all()] == [invoice.number.replace("/", "_") + ".pdf"]
    duty.refresh_from_db()
    assert duty.due_date == invoice.due_date  # the invoice's own term counts now
    assert duty.remind_on > invoice.due_date

    early = run(invoice.due_date)
    overdue = run(duty.remind_on)
    overdue_again = run(duty.remind_on)
    assert early.reminded == [] and overdue.reminded == [duty.pk] and overdue_again.reminded == []
    reminder = OutboxMessage.objects.filter(to=CLIENT).order_by("-id").first()
    assert invoice.number in reminder.subject and reminder.pk != mailed.pk

    with at(duty.remind_on):
        payments.payment_record(
            actor=managed.accountant, invoice=invoice, amount=invoice.gross, paid_on=duty.remind_on
        )
    paid = run(duty.remind_on)
    later = run(duty.escalate_on)

    duty.refresh_from_db()
    assert paid.payments_done == 1 and duty.state == "done" and duty.done_on == duty.remind_on
    assert later.escalated == []
    assert OutboxMessage.objects.filter(to=CLIENT).count() == 2
