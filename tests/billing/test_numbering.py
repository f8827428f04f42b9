"""Invoice numbers: patterns, restarts, no gaps, no duplicates — also under concurrent issuing."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection

from obieg.billing import invoicing
from obieg.billing.models import Invoice, InvoiceKind, InvoiceSeries, SeriesCounter
from obieg.billing.numbering import format_number, validate_pattern
from obieg.core.errors import ApplicationError

LINE = [{"description": "Usługa", "quantity": "1", "unit_price": "100", "vat_rate": "23"}]


def issue(org, buyer, on: date, lines=LINE) -> Invoice:
    return invoicing.invoice_issue(actor=org.accountant, buyer=buyer, lines=lines, issue_date=on)


def test_pattern_fields_are_filled_in():
    assert format_number("FV/{yyyy}/{mm}/{seq:04}", date(2026, 3, 5), 7) == "FV/2026/03/0007"
    assert format_number("{seq}/{yy}", date(2026, 3, 5), 12) == "12/26"


@pytest.mark.parametrize(
    ("pattern", "reset", "problem"),
    [
        ("FV/{yyyy}/{mm}/{seq:04}", "monthly", None),
        ("FV/{yyyy}/{seq}", "yearly", None),
        ("FV/{seq:06}", "never", None),
        ("FV/{yyyy}/{mm}", "monthly", "{seq}"),
        ("FV/{yyyy}/{seq}", "monthly", "{mm}"),  # would repeat numbers every month
        ("FV/{seq}", "yearly", "{yyyy}"),
        ("FV/{year}/{seq}", "never", "{year}"),
        ("FV/{seq:x!}", "never", "format"),
        ("FV/{seq", "never", "brace"),
    ],
)
def test_patterns_that_would_repeat_numbers_are_refused(pattern, reset, problem):
    result = validate_pattern(pattern, reset)
    if problem is None:
        assert result is None
    else:
        assert problem in result


def test_numbers_run_on_and_restart_each_month(org, profile, buyer):
    numbers = [
        issue(org, buyer, date(2026, 3, 30)).number,
        issue(org, buyer, date(2026, 3, 31)).number,
        issue(org, buyer, date(2026, 4, 1)).number,
    ]

    assert numbers == ["FV/2026/03/0001", "FV/2026/03/0002", "FV/2026/04/0001"]


def test_yearly_series_counts_through_the_year(org, profile, buyer):
    InvoiceSeries.objects.create(
        kind=InvoiceKind.VAT, name="Roczna", pattern="F/{seq}/{yyyy}", reset="yearly"
    )

    numbers = [issue(org, buyer, day).number for day in (date(2026, 1, 9), date(2026, 7, 1))]
    numbers.append(issue(org, buyer, date(2027, 1, 2)).number)

    assert numbers == ["F/1/2026", "F/2/2026", "F/1/2027"]


def test_a_refused_invoice_consumes_no_number(org, profile, buyer):
    first = issue(org, buyer, date(2026, 5, 4))
    nip = buyer.nip
    with pytest.raises(ApplicationError):
        issue(org, buyer, date(2026, 5, 4), lines=[{**LINE[0], "vat_rate": "7"}])
    buyer.nip = ""
    buyer.save()
    with pytest.raises(ApplicationError):
        issue(org, buyer, date(2026, 5, 4))
    buyer.nip = nip
    buyer.save()

    second = issue(org, buyer, date(2026, 5, 5))

    assert (first.number, second.number) == ("FV/2026/05/0001", "FV/2026/05/0002")


def test_a_number_cannot_go_back_in_time(org, profile, buyer):
    issue(org, buyer, date(2026, 6, 10))

    with pytest.raises(ApplicationError, match="earlier issue date"):
        issue(org, buyer, date(2026, 6, 9))

    assert SeriesCounter.objects.get(period="2026-06").last_number == 1


def test_each_kind_has_its_own_series(org, profile, contract):
    from obieg.billing import advances

    advance = advances.advance_invoice_issue(
        actor=org.accountant, contract=contract, amount=Decimal(1000), issue_date=date(2026, 2, 2)
    )
    final = advances.final_invoice_issue(
        actor=org.accountant, contract=contract, issue_date=date(2026, 2, 3)
    )

    assert advance.number == "FZ/2026/02/0001"
    assert final.number == "FR/2026/02/0001"


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_gives_consecutive_unique_numbers(org, profile, buyer):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent row locks are exercised on PostgreSQL; SQLite serialises writers")
    workers, per_worker = 8, 5
    start = threading.Barrier(workers)
    errors: list[BaseException] = []

    def work():
        try:
            start.wait(timeout=20)
            for _ in range(per_worker):
                issue(org, buyer, date(2026, 9, 1))
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"FV/2026/09/{n:04}" for n in range(1, workers * per_worker + 1)]
