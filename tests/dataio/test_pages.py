"""The import pages: upload, preview with row errors, import, result; and the list buttons."""

from obieg.crm.models import Account
from obieg.dataio.models import ImportBatch
from tests.dataio.files import csv_upload
from tests.factories import valid_nip


def login(client, user):
    client.force_login(user)


def upload(client, rows, record_type="accounts", **extra):
    return client.post(
        "/data/import/",
        {"record_type": record_type, "encoding": "utf-8", "file": csv_upload(rows), **extra},
    )


def test_every_list_links_to_its_export_and_import(client, org):
    login(client, org.sara)
    for path, kind in (
        ("/accounts/", "accounts"),
        ("/leads/", "leads"),
        ("/opportunities/", "opportunities"),
    ):
        page = client.get(path, {"q": "x"}).content.decode()
        assert f"/data/export/{kind}.csv?q=x" in page
        assert f"/data/export/{kind}.xlsx?q=x" in page
        assert f"/data/import/?type={kind}" in page


def test_a_file_with_errors_shows_them_and_imports_only_when_skipped(client, org):
    login(client, org.sara)
    response = upload(client, [["Nazwa", "NIP"], ["Dobra", valid_nip(5)], ["Zła", "1234563219"]])
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/data/import/{batch.pk}/"

    page = client.get(response["Location"]).content.decode()
    assert "Invalid NIP" in page
    assert 'id="count-error">1<' in page

    refused = client.post(f"/data/import/{batch.pk}/run/", follow=True)
    assert "skip those rows" in refused.content.decode()
    assert not Account.objects.exists()

    done = client.post(f"/data/import/{batch.pk}/run/", {"skip_invalid": "on"}, follow=True)
    content = done.content.decode()
    assert 'id="result-created">1<' in content
    assert 'id="result-skipped">1<' in content
    assert list(Account.objects.values_list("name", flat=True)) == ["Dobra"]


def test_the_error_tab_is_swapped_in_by_htmx(client, org):
    login(client, org.sara)
    upload(client, [["Nazwa", "E-mail"], ["A", "zły"], ["B", ""]])
    batch = ImportBatch.objects.get()
    fragment = client.get(f"/data/import/{batch.pk}/", {"show": "errors"}, HTTP_HX_REQUEST="true")
    content = fragment.content.decode()
    assert content.lstrip().startswith('<div id="import-rows">')
    assert 'id="import-row-2"' in content and 'id="import-row-3"' not in content


def test_a_bad_file_is_a_form_error_not_a_server_error(client, org):
    login(client, org.sara)
    response = client.post(
        "/data/import/",
        {
            "record_type": "accounts",
            "encoding": "utf-8",
            "file": csv_upload([["Miasto"], ["Kraków"]]),
        },
    )
    assert response.status_code == 200
    assert "Required columns are missing" in response.content.decode()
    binary = client.post(
        "/data/import/",
        {
            "record_type": "accounts",
            "encoding": "utf-8",
            "file": _file(b"\x89PNG\r\n\x1a\n\x00\x00"),
        },
    )
    assert binary.status_code == 200
    assert "not a CSV or XLSX" in binary.content.decode()
    assert not ImportBatch.objects.exists()


def _file(raw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("x.csv", raw)


def test_someone_elses_import_is_not_found(client, org):
    login(client, org.sara)
    upload(client, [["Nazwa"], ["A"]])
    batch = ImportBatch.objects.get()
    client.logout()
    login(client, org.tomasz)
    assert client.get(f"/data/import/{batch.pk}/").status_code == 404
    assert client.post(f"/data/import/{batch.pk}/run/").status_code == 404
    assert not Account.objects.exists()


def test_the_board_is_refused_the_import_page(client, org):
    login(client, org.board)
    assert client.get("/data/import/").status_code == 403
    assert "/data/import/" not in client.get("/accounts/").content.decode()


def test_a_discarded_preview_is_gone(client, org):
    login(client, org.sara)
    upload(client, [["Nazwa"], ["A"]])
    batch = ImportBatch.objects.get()
    response = client.post(f"/data/import/{batch.pk}/discard/")
    assert response.status_code == 302
    assert not ImportBatch.objects.exists()
    assert not Account.objects.exists()
