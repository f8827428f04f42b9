"""The catalogue list exported as filtered on screen (CSV, XLSX), and items imported from a
file through the same preview as accounts (obieg.dataio)."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from obieg.catalogue.models import Product
from obieg.core.audit import AuditEntry
from obieg.core.errors import PermissionDenied
from obieg.dataio import services
from tests.catalogue.helpers import add_item
from tests.dataio.files import csv_upload, outcome, preview, xlsx_upload


def read_csv(response, delimiter=";"):
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))


def column(rows, header):
    return [row[rows[0].index(header)] for row in rows[1:]]


def some_items(manager):
    add_item(manager, "PV-MOD-455", "Moduł fotowoltaiczny 455 Wp", unit_price=Decimal("520.50"))
    add_item(manager, "PV-KONSTR", "Konstrukcja montażowa", kind="service", unit="kpl.")
    add_item(manager, "ZLW-1", "Żółwik ogrodowy", unit_price=Decimal("1250000.05"))
    old = add_item(manager, "PV-MOD-400", "Moduł fotowoltaiczny 400 Wp")
    old.active = False
    old.save()


def test_the_export_has_exactly_the_rows_the_list_shows_with_its_filters_and_sort(client, org):
    some_items(org.manager)
    client.force_login(org.sara)

    # Search without Polish letters, products only, active only (the default), by code.
    query = {"q": "modul", "kind": "product", "sort": "code"}
    rows = read_csv(client.get("/data/export/catalogue.csv", query))
    assert rows[0][:4] == ["ID", "Code", "Name", "Kind"]
    assert column(rows, "Code") == ["PV-MOD-455"]

    everything = read_csv(
        client.get("/data/export/catalogue.csv", {"state": "all", "sort": "code"})
    )
    assert column(everything, "Code") == ["PV-KONSTR", "PV-MOD-400", "PV-MOD-455", "ZLW-1"]
    assert column(everything, "Active") == ["yes", "no", "yes", "yes"]
    withdrawn = read_csv(client.get("/data/export/catalogue.csv", {"state": "inactive"}))
    assert column(withdrawn, "Code") == ["PV-MOD-400"]


def test_more_items_than_a_page_are_all_exported(client, org):
    for number in range(30):
        add_item(org.manager, f"A-{number:02d}", f"Artykuł {number:02d}")
    client.force_login(org.manager)
    rows = read_csv(client.get("/data/export/catalogue.csv", {"sort": "code"}))
    assert column(rows, "Code") == [f"A-{number:02d}" for number in range(30)]


def test_amounts_are_exact_decimals_in_csv_and_numbers_in_xlsx(client, org):
    some_items(org.manager)
    client.force_login(org.sara)
    rows = read_csv(client.get("/data/export/catalogue.csv", {"q": "zolw"}))
    assert column(rows, "Unit price (net)") == ["1250000,05"]
    assert column(rows, "Unit cost") == ["60,00"]
    assert column(rows, "VAT rate") == ["23%"]
    comma = read_csv(
        client.get("/data/export/catalogue.csv", {"q": "zolw", "sep": "comma"}), delimiter=","
    )
    assert column(comma, "Unit price (net)") == ["1250000.05"]

    response = client.get("/data/export/catalogue.xlsx", {"sort": "code"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    price = header.index("Unit price (net)") + 1
    values = [sheet.cell(row=row, column=price).value for row in range(2, sheet.max_row + 1)]
    assert values == [100, 520.5, 1250000.05]  # PV-KONSTR, PV-MOD-455, ZLW-1
    assert sheet.cell(row=2, column=price).data_type == "n"
    assert Decimal(str(values[2])) == Decimal("1250000.05")


def test_only_catalogue_readers_export_it(client, org):
    some_items(org.manager)
    client.force_login(org.stranger)
    for file_format in ("csv", "xlsx"):
        response = client.get(f"/data/export/catalogue.{file_format}")
        assert response.status_code == 403
    client.force_login(org.accountant)  # reads the catalogue, changes nothing
    assert client.get("/data/export/catalogue.xlsx").status_code == 200


def test_the_list_links_to_its_export_with_its_filters_and_import_for_editors(client, org):
    client.force_login(org.sara)
    page = client.get("/catalogue/", {"q": "pv", "kind": "product", "cursor": "x"}).content
    page = page.decode()
    assert "/data/export/catalogue.csv?q=pv&amp;kind=product" in page
    assert "/data/export/catalogue.xlsx?q=pv&amp;kind=product" in page
    assert "cursor=x" not in page.split("export-buttons")[1].split("</div>")[0]
    assert "/data/import/?type=catalogue" not in page
    client.force_login(org.manager)
    assert "/data/import/?type=catalogue" in client.get("/catalogue/").content.decode()


# -- import --------------------------------------------------------------------------------


def test_a_file_adds_new_items_updates_by_code_and_shows_row_errors(org):
    existing = add_item(org.manager, "PV-MOD-455", "Moduł 455 Wp")
    upload = csv_upload(
        [
            ["Kod", "Nazwa", "Rodzaj", "Jednostka", "Cena netto", "Koszt", "Stawka VAT"],
            ["pv-mod-455", "Moduł fotowoltaiczny 455 Wp", "", "", "540,00", "", ""],
            ["PV-OPT", "Optymalizator mocy", "towar", "szt.", "290", "180", "8%"],
            ["DOJAZD", "Dojazd serwisu", "usługa", "km", "2,50", "1,20", "23"],
            ["ZŁY KOD", "Z polską literą i spacją", "", "", "10", "", ""],
            ["UJEMNY", "Ujemna cena", "", "", "-5", "", ""],
            ["BEZ-CENY", "Bez ceny", "", "", "", "", ""],
            ["PV-OPT", "Ten sam kod drugi raz", "", "", "1", "", ""],
        ]
    )
    batch = preview(org.manager, "catalogue", upload)
    assert outcome(batch, 2)["action"] == "update"
    assert outcome(batch, 2)["pk"] == existing.pk
    assert outcome(batch, 2)["changes"] == ["Nazwa", "Cena netto"]
    assert outcome(batch, 3)["action"] == "create"
    assert outcome(batch, 4)["action"] == "create"
    assert outcome(batch, 5)["errors"][0][0] == "Kod"
    assert outcome(batch, 6)["errors"][0][0] == "Cena netto"
    assert outcome(batch, 7)["errors"] == [["Cena netto", "This field is required."]]
    assert "already this record" in outcome(batch, 8)["errors"][0][1]

    services.import_run(actor=org.manager, batch=batch, skip_invalid=True)
    existing.refresh_from_db()
    assert (existing.name, existing.unit_price) == ("Moduł fotowoltaiczny 455 Wp", Decimal("540"))
    optimiser = Product.objects.get(code="PV-OPT")
    assert (optimiser.kind, optimiser.vat_rate, optimiser.active) == ("product", "8", True)
    assert (optimiser.unit_price, optimiser.unit_cost) == (Decimal("290"), Decimal("180"))
    travel = Product.objects.get(code="DOJAZD")
    assert (travel.kind, travel.unit, travel.unit_price) == ("service", "km", Decimal("2.50"))
    assert Product.objects.count() == 3
    # Written by the catalogue's services: audited as typed changes are.
    assert AuditEntry.objects.filter(object_id=str(existing.pk), action="update").exists()


def test_an_exported_file_edited_in_excel_imports_back_and_can_withdraw_items(client, org):
    item = add_item(org.manager, "PV-MOD-455", "Moduł 455 Wp")
    client.force_login(org.manager)
    response = client.get("/data/export/catalogue.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[0]
    rows[1][header.index("Unit price (net)")] = 480.5  # a number cell
    rows[1][header.index("Active")] = "nie"
    rows.append([None, "NOWY-1", "Nowy wycofany", None, None, 10, None, 0.08, "no", None])

    batch = preview(org.manager, "catalogue", xlsx_upload(rows))
    assert outcome(batch, 2)["changes"] == ["Unit price (net)", "Active"]
    assert outcome(batch, 3)["action"] == "create"
    services.import_run(actor=org.manager, batch=batch, skip_invalid=False)

    item.refresh_from_db()
    assert (item.unit_price, item.active) == (Decimal("480.50"), False)
    new = Product.objects.get(code="NOWY-1")
    assert (new.active, new.vat_rate) == (False, "8")


def test_only_catalogue_editors_import_items(client, org):
    upload = csv_upload([["Code", "Name", "Unit price (net)"], ["X-1", "Coś", "1"]])
    with pytest.raises(PermissionDenied, match="administrator or a sales manager"):
        preview(org.sara, "catalogue", upload)

    client.force_login(org.sara)
    page = client.get("/data/import/").content.decode()
    assert 'value="catalogue"' not in page
    response = client.post(
        "/data/import/",
        {"record_type": "catalogue", "encoding": "utf-8", "file": upload},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Product.objects.count() == 0

    client.force_login(org.manager)
    assert 'value="catalogue"' in client.get("/data/import/").content.decode()
