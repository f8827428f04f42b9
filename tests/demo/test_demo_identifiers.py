"""Every NIP, REGON and PESEL in the demo validates with python-stdnum."""

from io import StringIO

import pytest
from django.core.management import call_command
from stdnum.pl import nip, pesel, regon

from obieg.crm.models import Account, Lead
from obieg.demo.identifiers import demo_nip, demo_pesel, demo_regon


def test_generated_identifiers_are_valid_and_distinct():
    indexes = range(0, 2_000_000, 97)
    for generate, module in ((demo_nip, nip), (demo_regon, regon), (demo_pesel, pesel)):
        numbers = [generate(index) for index in indexes]
        assert len(set(numbers)) == len(numbers), generate.__name__
        invalid = [number for number in numbers if not module.is_valid(number)]
        assert not invalid, f"{generate.__name__}: {invalid[:5]}"


@pytest.mark.django_db
def test_demo_accounts_and_leads_carry_valid_identifiers():
    call_command("demo", stdout=StringIO(), stderr=StringIO())
    call_command("demo", "--size", "large", "--scale", "0.001", "--no-progress", stdout=StringIO())
    companies = Account.objects.filter(kind=Account.Kind.COMPANY).exclude(nip="")
    persons = Account.objects.filter(kind=Account.Kind.PERSON).exclude(pesel="")
    assert companies.exists() and persons.exists()
    for number in companies.values_list("nip", flat=True):
        assert nip.is_valid(number), number
    for number in Account.objects.exclude(regon="").values_list("regon", flat=True):
        assert regon.is_valid(number), number
    for number in persons.values_list("pesel", flat=True):
        assert pesel.is_valid(number), number
    for number in Lead.objects.exclude(nip="").values_list("nip", flat=True):
        assert nip.is_valid(number), number
    assert not Account.objects.filter(kind=Account.Kind.PERSON).exclude(nip="").exists()
