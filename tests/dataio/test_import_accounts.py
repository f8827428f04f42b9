"""Importing accounts: checked as the account form checks them, written by its service."""

import pytest

from obieg.core.audit import AuditEntry
from obieg.core.errors import ApplicationError, Conflict, PermissionDenied
from obieg.crm.models import Account
from obieg.dataio import services
from obieg.dataio.models import ImportBatch
from tests.dataio.files import csv_upload, outcome, preview, xlsx_upload
from tests.factories import AccountFactory, valid_nip

NIP = valid_nip(11)
OTHER_NIP = valid_nip(12)


def test_polish_headers_are_read_and_a_clean_file_is_imported_as_the_importer(org):
    upload = csv_upload(
        [
            ["Nazwa", "NIP", "E-mail", "Telefon", "Kod pocztowy", "Miejscowość", "Województwo"],
            [
                "Łódzka Energia",
                NIP,
                "biuro@lodzka.pl",
                "+48 42 600 10 20",
                "90-001",
                "Łódź",
                "łódzkie",
            ],
        ]
    )
    batch = preview(org.sara, "accounts", upload)
    assert outcome(batch, 2)["action"] == "create"
    assert not Account.objects.exists()  # the preview writes nothing

    services.import_run(actor=org.sara, batch=batch, skip_invalid=False)

    account = Account.objects.get()
    assert (account.name, account.nip, account.city, account.voivodeship) == (
        "Łódzka Energia",
        NIP,
        "Łódź",
        "lodzkie",
    )
    assert account.owner == org.sara
    assert account.kind == Account.Kind.COMPANY  # the form's default when the file is silent
    assert AuditEntry.objects.filter(object_id=str(account.pk), action="create").exists()


def test_identifiers_and_emails_are_refused_exactly_as_the_form_refuses_them(org):
    upload = csv_upload(
        [
            ["Name", "Kind", "NIP", "REGON", "PESEL", "E-mail", "Postal code"],
            ["Bad NIP", "company", "123-456-32-19", "", "", "", ""],
            ["Bad REGON", "company", "", "123456786", "", "", ""],
            ["Bad PESEL", "person", "", "", "44051401358", "", ""],
            ["Bad e-mail", "company", "", "", "", "not-an-email", ""],
            ["Bad code", "company", "", "", "", "", "00950"],
            ["Person with NIP", "Osoba prywatna", NIP, "", "", "", ""],
        ]
    )
    batch = preview(org.sara, "accounts", upload)
    errors = {row["line"]: row["errors"] for row in batch.outcomes}
    assert errors[2] == [["NIP", "Invalid NIP: it must have 10 digits with a valid checksum."]]
    assert errors[3][0][0] == "REGON"
    assert errors[4][0][0] == "PESEL"
    assert errors[5] == [["E-mail", "Enter a valid email address."]]
    assert errors[6] == [["Postal code", "Postal code must look like 00-950."]]
    assert errors[7] == [["NIP", "A private person has no NIP; use the company kind."]]


def test_a_file_with_errors_imports_nothing_unless_those_rows_are_skipped(org):
    upload = csv_upload([["Nazwa", "NIP"], ["Dobra", NIP], ["Zła", "1234563219"]])
    batch = preview(org.sara, "accounts", upload)

    with pytest.raises(ApplicationError, match="skip"):
        services.import_run(actor=org.sara, batch=batch, skip_invalid=False)
    assert not Account.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED

    done = services.import_run(actor=org.sara, batch=batch, skip_invalid=True)
    assert list(Account.objects.values_list("name", flat=True)) == ["Dobra"]
    assert (done.created_count, done.skipped_count) == (1, 1)
    assert done.rows == []  # the uploaded data is not kept once imported
    assert [row["line"] for row in done.outcomes] == [3]


def test_the_import_is_all_or_nothing_when_a_service_refuses_a_row(org, monkeypatch):
    upload = csv_upload([["Nazwa"], ["Pierwsza"], ["Druga"]])
    batch = preview(org.sara, "accounts", upload)
    from obieg.crm import services as crm_services

    real = crm_services.account_create

    def refuse_the_second(*, actor, data):
        if data["name"] == "Druga":
            raise ApplicationError("refused")
        return real(actor=actor, data=data)

    monkeypatch.setattr(crm_services, "account_create", refuse_the_second)
    with pytest.raises(ApplicationError, match="Row 3: refused"):
        services.import_run(actor=org.sara, batch=batch, skip_invalid=False)
    assert not Account.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED


def test_a_row_with_an_id_updates_only_its_filled_cells(org):
    account = AccountFactory(owner=org.sara, name="Stara nazwa", city="Kraków", phone="123")
    upload = csv_upload(
        [["ID", "Nazwa", "Miasto", "Telefon"], [account.pk, "Nowa nazwa", "", "+48 12 000 00 00"]]
    )
    batch = preview(org.sara, "accounts", upload)
    row = outcome(batch, 2)
    assert row["action"] == "update"
    assert row["changes"] == ["Nazwa", "Telefon"]

    services.import_run(actor=org.sara, batch=batch, skip_invalid=False)
    account.refresh_from_db()
    assert (account.name, account.city, account.phone) == (
        "Nowa nazwa",
        "Kraków",
        "+48 12 000 00 00",
    )
    assert account.revision == 2


def test_an_account_is_matched_by_nip_and_an_identical_row_changes_nothing(org):
    account = AccountFactory(owner=org.sara, name="Firma", nip=NIP, city="Kraków")
    upload = csv_upload(
        [
            ["Nazwa", "NIP", "Miasto"],
            ["Firma", f"PL {NIP[:3]}-{NIP[3:6]}-{NIP[6:8]}-{NIP[8:]}", "Kraków"],
        ]
    )
    batch = preview(org.sara, "accounts", upload)
    assert outcome(batch, 2)["action"] == "unchanged"
    assert outcome(batch, 2)["pk"] == account.pk
    done = services.import_run(actor=org.sara, batch=batch, skip_invalid=False)
    assert done.unchanged_count == 1
    account.refresh_from_db()
    assert account.revision == 1


def test_a_record_changed_after_the_preview_stops_the_import_and_is_checked_again(org):
    account = AccountFactory(owner=org.sara, name="Firma")
    batch = preview(org.sara, "accounts", csv_upload([["ID", "Miasto"], [account.pk, "Gdańsk"]]))
    from obieg.crm import services as crm_services

    crm_services.account_update(actor=org.sara, account=account, data={"name": "Zmieniona"})
    with pytest.raises(services.PreviewOutdated):
        services.import_run(actor=org.sara, batch=batch, skip_invalid=False)
    account.refresh_from_db()
    assert (account.name, account.city) == ("Zmieniona", "Kraków")


def test_a_file_is_imported_once_even_when_confirmed_twice(org):
    batch = preview(org.sara, "accounts", csv_upload([["Nazwa"], ["Raz"]]))
    stale_copy = ImportBatch.objects.get(pk=batch.pk)
    services.import_run(actor=org.sara, batch=batch, skip_invalid=False)
    with pytest.raises(Conflict):
        services.import_run(actor=org.sara, batch=stale_copy, skip_invalid=False)
    assert Account.objects.count() == 1


def test_the_same_nip_twice_in_one_file_is_an_error_on_the_second_row(org):
    batch = preview(org.sara, "accounts", csv_upload([["Nazwa", "NIP"], ["A", NIP], ["B", NIP]]))
    assert outcome(batch, 2)["action"] == "create"
    assert outcome(batch, 3)["errors"] == [["", "Row 2 of this file is already this record."]]


def test_formulas_in_cells_are_refused_but_apostrophe_text_is_kept(org):
    upload = csv_upload(
        [["Nazwa", "Miasto"], ['=HYPERLINK("http://evil")', "Kraków"], ["'=Firma", "+48 600"]]
    )
    batch = preview(org.sara, "accounts", upload)
    assert outcome(batch, 2)["errors"] == [
        ["Nazwa", 'Formulas are not imported: “=HYPERLINK("http://evil")”.']
    ]
    assert outcome(batch, 3)["action"] == "create"
    assert outcome(batch, 3)["label"] == "=Firma"


def test_a_salesperson_cannot_assign_imported_records_to_someone_else(org):
    batch = preview(
        org.sara, "accounts", csv_upload([["Nazwa", "Właściciel"], ["A", "tomasz"], ["B", "sara"]])
    )
    assert outcome(batch, 2)["errors"] == [
        ["Właściciel", "You import records as their owner; leave this column empty."]
    ]
    assert outcome(batch, 3)["action"] == "create"


def test_a_manager_assigns_owners_from_their_team_by_login(org):
    upload = csv_upload([["Nazwa", "Opiekun"], ["A", "tomasz"], ["B", "olga"], ["C", ""]])
    batch = preview(org.manager, "accounts", upload)
    assert outcome(batch, 3)["action"] == "error"  # olga is in another team
    services.import_run(actor=org.manager, batch=batch, skip_invalid=True)
    owners = dict(Account.objects.values_list("name", "owner__username"))
    assert owners == {"A": "tomasz", "C": "maria"}


def test_records_outside_the_importers_view_are_neither_found_nor_changed(org):
    hidden = AccountFactory(owner=org.olga, name="Cudza", nip=OTHER_NIP)
    upload = csv_upload([["ID", "Nazwa"], [hidden.pk, "Przejęta"]])
    batch = preview(org.sara, "accounts", upload)
    assert "that you can see" in outcome(batch, 2)["errors"][0][1]


def test_the_board_and_accounting_may_not_import(org):
    with pytest.raises(PermissionDenied):
        preview(org.board, "accounts", csv_upload([["Nazwa"], ["A"]]))
    with pytest.raises(PermissionDenied):
        preview(org.accountant, "accounts", csv_upload([["Nazwa"], ["A"]]))


def test_missing_required_columns_and_duplicate_columns_reject_the_file(org):
    with pytest.raises(ApplicationError, match="Required columns are missing: Name"):
        preview(org.sara, "accounts", csv_upload([["Miasto"], ["Kraków"]]))
    with pytest.raises(ApplicationError, match="both mean"):
        preview(org.sara, "accounts", csv_upload([["Nazwa", "Name"], ["A", "B"]]))


def test_unknown_columns_are_listed_and_ignored(org):
    batch = preview(
        org.sara, "accounts", csv_upload([["Nazwa", "Ulubiony kolor"], ["A", "zielony"]])
    )
    assert batch.ignored_columns == ["Ulubiony kolor"]
    assert outcome(batch, 2)["action"] == "create"


def test_an_xlsx_with_numbers_for_identifiers_is_imported(org):
    upload = xlsx_upload([["Nazwa", "NIP", "Rodzaj"], ["Z arkusza", int(NIP), "firma"]])
    batch = preview(org.sara, "accounts", upload)
    assert outcome(batch, 2)["action"] == "create", batch.outcomes
    services.import_run(actor=org.sara, batch=batch, skip_invalid=False)
    assert Account.objects.get().nip == NIP


def test_ids_that_are_no_ids_are_row_errors_not_database_errors(org):
    upload = csv_upload([["ID", "Nazwa"], ["99999999999999999999", "A"], ["abc", "B"], ["-5", "C"]])
    batch = preview(org.sara, "accounts", upload)
    assert [row["action"] for row in batch.outcomes] == ["error", "error", "error"]
    assert "that you can see" in outcome(batch, 2)["errors"][0][1]
