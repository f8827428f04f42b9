"""An administrator adds account fields; a salesperson fills, filters by and exports them."""

import csv
import io

from playwright.sync_api import expect

from obieg.crm.models import Account
from obieg.customfields.models import CustomField
from tests.factories import AccountFactory


def define_field(page, live_server, *, label_pl, label_en, key, kind, choices=""):
    page.goto(f"{live_server.url}/custom-fields/")
    page.locator("#fields-account a", has_text="Add a field").click()
    expect(page.locator("#id_record_type")).to_have_value("account")
    page.fill("#id_label_pl", label_pl)
    page.fill("#id_label_en", label_en)
    page.fill("#id_key", key)
    page.select_option("#id_kind", kind)
    if choices:
        page.fill("#id_choices_text", choices)
    page.check("#id_in_list")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#fields-account")).to_contain_text(key)


def test_a_field_is_defined_filled_in_filtered_by_and_exported(
    transactional_db, org, login, live_server
):
    AccountFactory(owner=org.sara, name="Bez segmentu")

    page = login(org.admin)
    page.locator("nav").get_by_role("button", name="Administration").click()
    page.locator("nav").get_by_role("link", name="Custom fields").click()
    expect(page.locator("h1")).to_have_text("Custom fields")
    define_field(
        page,
        live_server,
        label_pl="Segment",
        label_en="Tier",
        key="tier",
        kind="choice",
        choices="gold | Złoty | Gold\nsilver | Srebrny | Silver",
    )
    define_field(
        page,
        live_server,
        label_pl="Data audytu",
        label_en="Audit date",
        key="audit_date",
        kind="date",
    )
    assert CustomField.objects.filter(record_type="account", active=True).count() == 2

    page.context.clear_cookies()
    page = login(org.sara)
    page.goto(f"{live_server.url}/accounts/new/")
    page.fill("#id_name", "Złota Energia")
    page.select_option("#id_custom_tier", "gold")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/accounts/*/")
    expect(page.locator("#basic-data")).to_contain_text("Gold")
    page.get_by_role("link", name="Edit").first.click()
    page.fill("#id_custom_audit_date", "2026-12-31")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/accounts/*/")
    expect(page.locator('[data-custom-field="audit_date"]')).not_to_have_text("—")
    account = Account.objects.get(name="Złota Energia")
    assert account.custom == {"audit_date": "2026-12-31", "tier": "gold"}

    page.goto(f"{live_server.url}/accounts/")
    table = page.locator("#account-table")
    expect(table).to_contain_text("Bez segmentu")
    page.select_option('[name="custom.tier"]', "gold")
    page.locator("form[role=search] button[type=submit]").click()
    expect(table).to_contain_text("Złota Energia")
    expect(table).not_to_contain_text("Bez segmentu")
    expect(table.locator('td[data-custom-field="tier"]')).to_have_text(["Gold"])
    page.fill('[name="custom.audit_date.min"]', "2027-01-01")
    page.locator("form[role=search] button[type=submit]").click()
    expect(page.locator("#account-table")).to_have_count(0)
    page.fill('[name="custom.audit_date.min"]', "2026-12-01")
    page.locator("form[role=search] button[type=submit]").click()
    expect(table).to_contain_text("Złota Energia")

    with page.expect_download() as download:
        page.locator("#export-buttons").get_by_role("link", name="Export CSV").first.click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = rows[0]
    assert header[-2:] == ["Tier", "Audit date"]
    assert [row[header.index("Name")] for row in rows[1:]] == ["Złota Energia"]
    assert rows[1][-2:] == ["Gold", "2026-12-31"]
