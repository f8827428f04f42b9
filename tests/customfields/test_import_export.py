"""Custom fields in export files (as filtered on screen) and imports (checked by the form)."""

import csv
import io
from datetime import date
from decimal import Decimal

from django.utils import translation
from openpyxl import load_workbook

from obieg.crm.models import Account, Opportunity
from obieg.dataio import services
from tests.dataio.files import csv_upload, outcome, preview
from tests.factories import AccountFactory, OpportunityFactory


def read_csv(response, delimiter=";"):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=delimiter))


def test_the_export_has_a_column_per_field_and_follows_the_custom_filter(
    client, org, tier, audit_date, turnover
):
    gold = AccountFactory(owner=org.sara, name="Gold")
    AccountFactory(owner=org.sara, name="Plain")
    Account.objects.filter(pk=gold.pk).update(
        custom={"tier": "gold", "audit_date": "2026-12-31", "turnover": "150000.5"}
    )
    client.force_login(org.sara)
    rows = read_csv(client.get("/data/export/accounts.csv", {"custom.tier": "gold"}))
    header = rows[0]
    assert header[-3:] == ["Tier", "Audit date", "Turnover"]
    assert [row[header.index("Name")] for row in rows[1:]] == ["Gold"]
    assert rows[1][-3:] == ["Gold", "2026-12-31", "150000,5"]
    # In Polish, the headers and the choice's label are Polish.
    with translation.override("pl"):
        client.cookies["django_language"] = "pl"
        rows = read_csv(client.get("/data/export/accounts.csv", {"custom.tier": "gold"}))
    assert rows[0][-3:] == ["Segment", "Data audytu", "Obrót"]
    assert rows[1][-3] == "Złoty"
    # XLSX keeps numbers and dates typed.
    workbook = load_workbook(
        io.BytesIO(b"".join(client.get("/data/export/accounts.xlsx").streaming_content))
    )
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    gold_row = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if row[2] == "Gold")
    assert gold_row[header.index("Obrót")] == 150000.5 or gold_row[
        header.index("Obrót")
    ] == Decimal("150000.5")
    assert gold_row[header.index("Data audytu")].date() == date(2026, 12, 31)


def test_an_import_reads_custom_columns_by_label_key_or_choice_label(
    org, tier, audit_date, turnover
):
    upload = csv_upload(
        [
            ["Nazwa", "Segment", "audit_date", "Turnover"],
            ["Jeden", "Złoty", "2026-01-02", "150 000,50"],
            ["Dwa", "silver", "", ""],
            ["Zły", "brązowy", "31.02.2026", "dużo"],
        ]
    )
    batch = preview(org.sara, "accounts", upload)
    assert outcome(batch, 2)["action"] == "create"
    assert outcome(batch, 3)["action"] == "create"
    bad = outcome(batch, 4)
    assert bad["action"] == "error"
    assert {header for header, _message in bad["errors"]} == {"Segment", "audit_date", "Turnover"}
    services.import_run(actor=org.sara, batch=batch, skip_invalid=True)
    assert dict(Account.objects.values_list("name", "custom")) == {
        "Jeden": {"audit_date": "2026-01-02", "tier": "gold", "turnover": "150000.5"},
        "Dwa": {"tier": "silver"},
    }


def test_an_update_changes_only_the_custom_cells_given_and_sees_no_change_as_none(
    org, tier, turnover
):
    account = AccountFactory(owner=org.sara, name="Stały")
    Account.objects.filter(pk=account.pk).update(custom={"tier": "gold", "turnover": "10"})
    same = preview(org.sara, "accounts", csv_upload([["ID", "Tier"], [str(account.pk), "gold"]]))
    assert outcome(same, 2)["action"] == "unchanged"
    changed = preview(
        org.sara,
        "accounts",
        csv_upload([["ID", "Tier", "Turnover"], [str(account.pk), "silver", ""]]),
    )
    assert outcome(changed, 2)["action"] == "update"
    assert outcome(changed, 2)["changes"] == ["Tier"]
    services.import_run(actor=org.sara, batch=changed, skip_invalid=False)
    account.refresh_from_db()
    assert account.custom == {"tier": "silver", "turnover": "10"}  # the empty cell kept its value


def test_opportunities_import_their_fields(org, define):
    define("opportunity", "kwp", "number", label_en="Power (kWp)")
    account = AccountFactory(owner=org.sara, nip="5260001246", name="Klient")
    opportunity = OpportunityFactory(owner=org.sara, account=account)
    batch = preview(
        org.sara, "opportunities", csv_upload([["ID", "kwp"], [str(opportunity.pk), "49,5"]])
    )
    assert outcome(batch, 2)["action"] == "update", outcome(batch, 2)
    services.import_run(actor=org.sara, batch=batch, skip_invalid=False)
    assert Opportunity.objects.get().custom == {"kwp": "49.5"}
