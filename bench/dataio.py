"""Import and export on a large table: time and memory, SQLite or PostgreSQL.

    .venv/bin/python bench/dataio.py [--rows 100000] [--import-rows 5000] [--database-url URL]

Loads `--rows` accounts (bulk insert, valid NIPs) into its own database
(var/bench_dataio.sqlite3 unless --database-url names another), then, as the
administrator who sees everything:
- exports the account list as CSV (streamed) and as XLSX, reading every byte,
  and prints the time, the size and the process's peak resident memory before
  and after (`--only csv` or `--only xlsx` measures one in a fresh process);
- previews and imports a CSV of `--import-rows` new accounts, and prints both times.
It measures and prints; it never fails on a figure.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--import-rows", type=int, default=5000)
    parser.add_argument("--only", choices=("load", "csv", "xlsx", "import"))
    parser.add_argument(
        "--database-url", default=f"sqlite:///{CHECKOUT / 'var' / 'bench_dataio.sqlite3'}"
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obieg.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    admin = _load(args.rows)
    if args.only in (None, "csv"):
        _export(admin, "csv")
    if args.only in (None, "xlsx"):
        _export(admin, "xlsx")
    if args.only in (None, "import"):
        _import(admin, args.import_rows)
    return 0


def _load(rows: int):
    from obieg.core.models import User
    from obieg.crm.models import Account
    from tests.factories import valid_nip

    admin, _created = User.objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True}
    )
    have = Account.objects.count()
    started = time.perf_counter()
    batch = []
    for number in range(have, rows):
        batch.append(
            Account(
                name=f"Firma {number:06d} Sp. z o.o.",
                nip=valid_nip(number),
                city="Kraków",
                postal_code="30-001",
                phone="+48 600 100 200",
                owner=admin,
            )
        )
        if len(batch) == 5000:
            Account.objects.bulk_create(batch)
            batch = []
    Account.objects.bulk_create(batch)
    elapsed = time.perf_counter() - started
    print(f"accounts: {Account.objects.count()} (loaded {max(rows - have, 0)} in {elapsed:.1f} s)")
    return admin


def _export(admin, file_format: str) -> None:
    from django.test import Client

    client = Client()
    client.force_login(admin)
    before = _peak_rss_mb()
    started = time.perf_counter()
    response = client.get(f"/data/export/accounts.{file_format}")
    size = sum(len(chunk) for chunk in response.streaming_content)
    elapsed = time.perf_counter() - started
    print(
        f"export {file_format}: status {response.status_code}, {size / 1e6:.1f} MB "
        f"in {elapsed:.1f} s, peak RSS {before:.0f} MB before, {_peak_rss_mb():.0f} MB after"
    )


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _import(admin, rows: int) -> None:
    import csv
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    from obieg.dataio import services
    from tests.factories import valid_nip

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["Nazwa", "NIP", "Miasto", "Kod pocztowy", "Telefon"])
    for number in range(rows):
        writer.writerow(
            [
                f"Import {time.time_ns()}-{number}",
                valid_nip(10_000_000 + number),
                "Łódź",
                "90-001",
                "+48 42 600 10 20",
            ]
        )
    upload = SimpleUploadedFile("bench.csv", buffer.getvalue().encode())
    started = time.perf_counter()
    batch = services.import_preview(
        actor=admin,
        record_type="accounts",
        upload=upload,
        size=upload.size,
        file_name="bench.csv",
        encoding="utf-8",
    )
    checked = time.perf_counter() - started
    started = time.perf_counter()
    try:
        batch = services.import_run(actor=admin, batch=batch, skip_invalid=True)
    except Exception as error:  # a re-run finds its NIPs taken: report, do not fail
        print(f"import: {error}")
        return
    imported = time.perf_counter() - started
    print(
        f"import {rows} rows: preview {checked:.1f} s ({rows / checked:.0f} rows/s), "
        f"import {imported:.1f} s ({rows / imported:.0f} rows/s); "
        f"{batch.created_count} created, {batch.updated_count} updated, "
        f"{batch.skipped_count} skipped"
    )


if __name__ == "__main__":
    raise SystemExit(main())
