"""A salesperson imports a sheet with a bad row: sees the error, skips it, imports the rest."""

import re

from playwright.sync_api import expect

from obieg.crm.models import Account
from tests.dataio.files import xlsx_bytes
from tests.factories import valid_nip


def test_an_import_with_errors_is_previewed_skipped_and_imported(
    transactional_db, org, login, live_server, tmp_path
):
    workbook = tmp_path / "klienci.xlsx"
    workbook.write_bytes(
        xlsx_bytes(
            [
                ["Nazwa", "NIP", "Miejscowość", "Województwo"],
                ["Zielona Energia", valid_nip(31), "Łódź", "łódzkie"],
                ["Zły NIP", "123-456-32-19", "Kraków", ""],
                ["Słoneczny Dach", "", "Gdańsk", "pomorskie"],
            ]
        )
    )
    page = login(org.sara)
    page.goto(f"{live_server.url}/accounts/")
    page.locator("a", has_text="Import").click()
    expect(page.locator("#id_record_type")).to_have_value("accounts")
    page.set_input_files("#id_file", str(workbook))
    page.locator("#import-form button[type=submit]").click()

    page.wait_for_url(re.compile(r"/data/import/[0-9a-f-]+/$"))
    expect(page.locator("#count-create")).to_have_text("2")
    expect(page.locator("#count-error")).to_have_text("1")
    bad_row = page.locator("#import-row-3")
    expect(bad_row).to_contain_text("Invalid NIP")
    expect(bad_row).to_contain_text("NIP")

    page.locator("a[data-show=errors]").click()
    expect(page.locator("#import-table tbody tr")).to_have_count(1)

    page.locator("#import-run").click()  # not skipped yet: refused, nothing saved
    expect(page.locator(".alert-danger")).to_contain_text("skip those rows")
    assert not Account.objects.exists()

    page.check("#id_skip_invalid")
    page.locator("#import-run").click()
    expect(page.locator("#result-created")).to_have_text("2")
    expect(page.locator("#result-skipped")).to_have_text("1")
    expect(page.locator("#skipped-rows")).to_contain_text("Invalid NIP")

    page.locator("a", has_text="Back to the list").click()
    expect(page.locator("#account-table")).to_contain_text("Zielona Energia")
    expect(page.locator("#account-table")).to_contain_text("Słoneczny Dach")
    assert set(Account.objects.values_list("owner__username", flat=True)) == {"sara"}
