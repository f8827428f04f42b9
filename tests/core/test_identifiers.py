"""Polish identifiers: NIP, REGON and PESEL validated by python-stdnum, stored compact."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from stdnum.pl import nip, pesel, regon

from obieg.core import identifiers
from obieg.core.errors import ApplicationError
from obieg.crm import services as crm
from obieg.crm.models import Account, Lead

# Each valid example is checked against python-stdnum itself below, so a typo here
# cannot turn a test of "accepted" into a test of "refused".
VALID_NIPS = [("526-000-12-46", "5260001246"), ("PL 526 000 12 46", "5260001246")]
VALID_REGONS = [("123456785", "123456785"), ("123-456-785", "123456785")]
VALID_REGONS_14 = [("12345678512347", "12345678512347")]
VALID_PESELS = [("44051401359", "44051401359"), ("02270803624", "02270803624")]
INVALID_NIPS = ["5260001247", "526000124", "52600012466", "abcdefghij"]
INVALID_REGONS = ["123456786", "12345678512348", "12345678"]
INVALID_PESELS = ["44051401358", "4405140135", "44053201357"]  # bad check, short, 32nd day


def test_examples_agree_with_stdnum():
    for raw, _compact in VALID_NIPS:
        assert nip.is_valid(raw)
    for raw, _compact in VALID_REGONS + VALID_REGONS_14:
        assert regon.is_valid(raw)
    for raw, _compact in VALID_PESELS:
        assert pesel.is_valid(raw)
    assert not any(nip.is_valid(v) for v in INVALID_NIPS)
    assert not any(regon.is_valid(v) for v in INVALID_REGONS)
    assert not any(pesel.is_valid(v) for v in INVALID_PESELS)


@pytest.mark.parametrize(("raw", "compact"), VALID_NIPS)
def test_valid_nip_is_accepted_in_compact_form(raw, compact):
    assert identifiers.clean_nip(raw) == compact


@pytest.mark.parametrize(("raw", "compact"), VALID_REGONS + VALID_REGONS_14)
def test_valid_regon_of_9_or_14_digits_is_accepted(raw, compact):
    assert identifiers.clean_regon(raw) == compact


@pytest.mark.parametrize(("raw", "compact"), VALID_PESELS)
def test_valid_pesel_is_accepted(raw, compact):
    assert identifiers.clean_pesel(raw) == compact


@pytest.mark.parametrize(
    ("cleaner", "value", "message"),
    [(identifiers.clean_nip, v, "Invalid NIP") for v in INVALID_NIPS]
    + [(identifiers.clean_regon, v, "Invalid REGON") for v in INVALID_REGONS]
    + [(identifiers.clean_pesel, v, "Invalid PESEL") for v in INVALID_PESELS],
)
def test_invalid_identifier_is_refused_with_a_clear_message(cleaner, value, message):
    with pytest.raises(ValidationError) as raised:
        cleaner(value)
    assert message in " ".join(raised.value.messages)
    assert "checksum" in " ".join(raised.value.messages)


@pytest.mark.parametrize("code", ["00-950", "31-042"])
def test_postal_code_in_nn_nnn_form_is_accepted(code):
    identifiers.validate_postal_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "00950",
        "00 950",
        "0-0950",
        "00-95",
        "000-950",
        "ab-cde",
        "00-950\n",
        "٠٠-٩٥٠",
        "００-９５０",
    ],
)
def test_postal_code_in_another_form_is_refused(code):
    with pytest.raises(ValidationError, match="00-950"):
        identifiers.validate_postal_code(code)


# --- through the services -------------------------------------------------------------------


def test_company_account_stores_identifiers_compact(org):
    account = crm.account_create(
        actor=org.sara,
        data={"name": "Słoneczna Sp. z o.o.", "nip": "526-000-12-46", "regon": "123-456-785"},
    )
    account.refresh_from_db()
    assert (account.nip, account.regon) == ("5260001246", "123456785")
    assert identifiers.format_nip(account.nip) == "526-000-12-46"


def test_person_account_stores_pesel(org):
    account = crm.account_create(
        actor=org.sara,
        data={"kind": Account.Kind.PERSON, "name": "Jan Kowalski", "pesel": "44051401359"},
    )
    account.refresh_from_db()
    assert account.pesel == "44051401359"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"nip": "526-000-12-47"}, "nip", "Invalid NIP"),
        ({"regon": "123456786"}, "regon", "Invalid REGON"),
        ({"postal_code": "00950"}, "postal_code", "00-950"),
    ],
)
def test_account_with_an_invalid_identifier_is_refused_and_not_saved(org, data, field, message):
    with pytest.raises(ApplicationError) as raised:
        crm.account_create(actor=org.sara, data={"name": "Firma", **data})
    assert message in " ".join(raised.value.field_errors[field])
    assert not Account.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [({"nip": "5260001246"}, "nip"), ({"regon": "123456785"}, "regon")],
)
def test_person_with_company_identifiers_is_refused(org, data, field):
    with pytest.raises(ApplicationError) as raised:
        crm.account_create(
            actor=org.sara, data={"kind": Account.Kind.PERSON, "name": "Jan Kowalski", **data}
        )
    assert field in raised.value.field_errors
    assert "private person" in " ".join(raised.value.field_errors[field])
    assert not Account.objects.exists()


def test_company_with_pesel_is_refused(org):
    with pytest.raises(ApplicationError) as raised:
        crm.account_create(
            actor=org.sara,
            data={"kind": Account.Kind.COMPANY, "name": "Firma", "pesel": "44051401359"},
        )
    assert "PESEL" in " ".join(raised.value.field_errors["pesel"])
    assert not Account.objects.exists()


def test_lead_nip_is_validated_and_stored_compact(org):
    lead = crm.lead_create(
        actor=org.sara,
        data={
            "source": Lead.Source.PHONE,
            "contact_name": "Jan Nowak",
            "phone": "600100200",
            "nip": "526-000-12-46",
        },
    )
    lead.refresh_from_db()
    assert lead.nip == "5260001246"
    with pytest.raises(ApplicationError) as raised:
        crm.lead_create(
            actor=org.sara,
            data={"source": Lead.Source.PHONE, "contact_name": "X", "phone": "1", "nip": "1"},
        )
    assert "nip" in raised.value.field_errors
    assert Lead.objects.count() == 1


def test_records_can_be_searched_by_formatted_or_partial_identifiers(org):
    account = crm.account_create(actor=org.sara, data={"name": "Firma", "nip": "5260001246"})

    assert list(Account.objects.filter(nip="526-000-12-46")) == [account]
    assert list(Account.objects.filter(nip__startswith="526")) == [account]
    assert list(Account.objects.filter(nip="526")) == []
    assert list(Account.objects.filter(pesel__contains="4405")) == []


def test_a_model_form_takes_a_formatted_nip_and_stores_it_compact(org):
    from django import forms

    class AccountForm(forms.ModelForm):
        class Meta:
            model = Account
            fields = ["kind", "name", "nip", "regon"]

    form = AccountForm(
        data={"kind": "company", "name": "Firma", "nip": "PL 526-000-12-46", "regon": "123-456-785"}
    )
    assert form.is_valid(), form.errors
    assert (form.instance.nip, form.instance.regon) == ("5260001246", "123456785")

    form = AccountForm(data={"kind": "company", "name": "Firma", "nip": "526-000-12-47"})
    assert not form.is_valid()
    assert "Invalid NIP" in " ".join(form.errors["nip"])
