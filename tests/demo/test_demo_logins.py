"""`obieg demo` gives every role a user who can log in and finds their own work."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client

from obieg.billing.models import CompanyProfile
from obieg.core import roles
from obieg.core.access import visible
from obieg.core.models import AuditEntry, User
from obieg.crm.models import Account, Opportunity
from obieg.demo.organisation import DEMO_PASSWORD
from obieg.solutions.expert_opinions.models import Inquiry

pytestmark = pytest.mark.django_db


def run_demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_demo_creates_one_user_per_role_who_can_log_in():
    output = run_demo()
    for role in roles.ALL_ROLES:
        user = User.objects.get(username=role)
        assert user.has_role(role)
        assert Client().login(request=HttpRequest(), username=role, password=DEMO_PASSWORD), role
        assert f"{role} " in output  # the log-ins table names each user
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert DEMO_PASSWORD in output


def test_every_demo_user_sees_their_own_accounts_or_opportunities():
    run_demo()
    for role in roles.ALL_ROLES:
        user = User.objects.get(username=role)
        accounts = visible(Account.objects.all(), user).count()
        opportunities = visible(Opportunity.objects.all(), user).count()
        assert accounts + opportunities > 0, f"{role} sees nothing"


def test_demo_sellers_own_opportunities_in_every_stage_between_them():
    run_demo()
    sellers = User.objects.filter(username__in=["salesperson", "phone_sales", "field_sales"])
    stages = set(Opportunity.objects.filter(owner__in=sellers).values_list("stage", flat=True))
    assert stages == set(Opportunity.Stage.values)
    assert Opportunity.objects.filter(escalated_to_board=True).count() >= 2


def test_small_demo_goes_through_the_services_so_records_have_history():
    run_demo()
    assert AuditEntry.objects.filter(object_id__in=Account.objects.values("id")).exists()
    assert AuditEntry.objects.count() > Account.objects.count()


def test_if_empty_adds_nothing_the_second_time_but_prints_the_log_ins():
    run_demo("--if-empty")
    counts = (Account.objects.count(), Opportunity.objects.count(), User.objects.count())
    output = run_demo("--if-empty")
    assert (Account.objects.count(), Opportunity.objects.count(), User.objects.count()) == counts
    assert "salesperson" in output and DEMO_PASSWORD in output


def test_the_demo_also_sets_up_the_seller_and_each_solutions_demo(db):
    call_command("demo", "--no-progress", stdout=StringIO())

    assert CompanyProfile.objects.count() == 1
    assert Inquiry.objects.exists()
