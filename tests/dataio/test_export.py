"""Exporting lists as filtered on screen, every row, safe to open in a spreadsheet."""

import csv
import io

from openpyxl import load_workbook

from obieg.crm.models import Account
from tests.factories import AccountFactory, ContactFactory, LeadFactory, OpportunityFactory


def login(client, user):
    client.force_login(user)


def read_csv(response, delimiter=";"):
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))


def test_account_csv_has_every_filtered_row_not_only_the_first_page(client, org):
    for number in range(30):
        AccountFactory(owner=org.sara, name=f"Kraków {number:02d}", city="Kraków")
    AccountFactory(owner=org.sara, name="Gdańsk", city="Gdańsk")
    AccountFactory(owner=org.olga, name="Kraków cudzy", city="Kraków")  # not Sara's to see
    login(client, org.sara)

    response = client.get("/data/export/accounts.csv", {"q": "Kraków", "sort": "name"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:3] == ["ID", "Kind", "Name"]
    names = [row[2] for row in rows[1:]]
    assert names == [f"Kraków {number:02d}" for number in range(30)]


def test_amounts_use_decimal_commas_with_semicolons_and_points_with_commas(client, org):
    OpportunityFactory(owner=org.sara, account=AccountFactory(owner=org.sara), value="150000.50")
    login(client, org.sara)
    semicolon = read_csv(client.get("/data/export/opportunities.csv"))
    header = semicolon[0]
    assert semicolon[1][header.index("Value (net PLN)")] == "150000,50"
    comma = read_csv(client.get("/data/export/opportunities.csv", {"sep": "comma"}), delimiter=",")
    assert comma[1][header.index("Value (net PLN)")] == "150000.50"


def test_the_export_follows_the_lists_filters(client, org):
    LeadFactory(owner=org.sara, contact_name="Nowy", status="new")
    LeadFactory(owner=org.sara, contact_name="Zakwalifikowany", status="qualified")
    login(client, org.sara)
    rows = read_csv(client.get("/data/export/leads.csv", {"status": "qualified"}))
    header = rows[0]
    assert [row[header.index("Contact name")] for row in rows[1:]] == ["Zakwalifikowany"]


def test_formulas_are_defused_in_csv_and_kept_as_text_in_xlsx(client, org):
    AccountFactory(owner=org.sara, name='=HYPERLINK("http://evil")', phone="+48 600 100 200")
    login(client, org.sara)
    rows = read_csv(client.get("/data/export/accounts.csv"))
    header = rows[0]
    assert rows[1][header.index("Name")] == '\'=HYPERLINK("http://evil")'
    assert rows[1][header.index("Phone")] == "+48 600 100 200"

    response = client.get("/data/export/accounts.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    cell = sheet.cell(row=2, column=3)
    assert cell.value == '=HYPERLINK("http://evil")'
    assert cell.data_type == "s"


def test_contacts_are_exported_for_the_accounts_on_the_list(client, org):
    shown = AccountFactory(owner=org.sara, name="Widoczny", city="Kraków")
    hidden = AccountFactory(owner=org.sara, name="Inny", city="Gdańsk")
    ContactFactory(account=shown, first_name="Ala", last_name="Kot")
    ContactFactory(account=hidden, first_name="Ola", last_name="Pies")
    login(client, org.sara)
    rows = read_csv(client.get("/data/export/contacts.csv", {"q": "Kraków"}))
    header = rows[0]
    assert [row[header.index("Last name")] for row in rows[1:]] == ["Kot"]
    assert rows[1][header.index("Account")] == "Widoczny"


def test_an_export_reimports_as_unchanged_records(client, org):
    from obieg.dataio import services
    from tests.dataio.files import preview

    AccountFactory(owner=org.sara, name="Okrągła", city="Łódź", voivodeship="lodzkie")
    login(client, org.sara)
    response = client.get("/data/export/accounts.xlsx")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("accounts.xlsx", b"".join(response.streaming_content))
    batch = preview(org.sara, "accounts", upload)
    assert [row["action"] for row in batch.outcomes] == ["unchanged"], batch.outcomes
    services.import_run(actor=org.sara, batch=batch, skip_invalid=False)
    assert Account.objects.get().revision == 1


def test_unknown_export_types_and_formats_are_404(client, org):
    login(client, org.sara)
    assert client.get("/data/export/invoices.csv").status_code == 404
    assert client.get("/data/export/accounts.pdf").status_code == 404
