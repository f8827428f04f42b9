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


# The demo tells every solution's story through the real services (about 40 s): one run
# per database serves every check below.


def test_demo_gives_every_role_a_user_who_logs_in_and_finds_their_own_work():
    output = run_demo("--if-empty")

    # One user per role who can log in; the log-ins table names each.
    for role in roles.ALL_ROLES:
        user = User.objects.get(username=role)
        assert user.has_role(role)
        assert Client().login(request=HttpRequest(), username=role, password=DEMO_PASSWORD), role
        assert f"{role} " in output
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert DEMO_PASSWORD in output

    # Every demo user sees accounts or opportunities of their own.
    for role in roles.ALL_ROLES:
        user = User.objects.get(username=role)
        accounts = visible(Account.objects.all(), user).count()
        opportunities = visible(Opportunity.objects.all(), user).count()
        assert accounts + opportunities > 0, f"{role} sees nothing"

    # The sellers own opportunities in every stage between them; some went to the board.
    sellers = User.objects.filter(username__in=["salesperson", "phone_sales", "field_sales"])
    stages = set(Opportunity.objects.filter(owner__in=sellers).values_list("stage", flat=True))
    assert stages == set(Opportunity.Stage.values)
    assert Opportunity.objects.filter(escalated_to_board=True).count() >= 2

    # Records went through the services, so they have their history.
    assert AuditEntry.objects.filter(object_id__in=Account.objects.values("id")).exists()
    assert AuditEntry.objects.count() > Account.objects.count()

    # The seller's profile and each solution's demo are there.
    assert CompanyProfile.objects.count() == 1
    assert Inquiry.objects.exists()

    # --if-empty adds nothing the second time, but prints the log-ins again.
    counts = (Account.objects.count(), Opportunity.objects.count(), User.objects.count())
    output = run_demo("--if-empty", "--no-progress")
    assert (Account.objects.count(), Opportunity.objects.count(), User.objects.count()) == counts
    assert "salesperson" in output and DEMO_PASSWORD in output
