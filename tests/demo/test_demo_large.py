"""The large generator, run at a small scale, produces consistent data."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from obieg.core import roles
from obieg.core.models import Team, User
from obieg.crm.models import Account, Activity, ContactPerson, Opportunity
from obieg.demo import large
from obieg.demo.large import BIG_ACCOUNT_NAME, sizes_for
from obieg.demo.organisation import ensure_organisation
from obieg.documents.models import Document, DocumentVersion

pytestmark = pytest.mark.django_db
SCALE = 0.002


def generate(*extra) -> None:
    call_command(
        "demo",
        "--size",
        "large",
        "--scale",
        str(SCALE),
        "--no-progress",
        *extra,
        stdout=StringIO(),
        stderr=StringIO(),
    )


@pytest.fixture
def large_set():
    # Straight to the generator: the command would first add the small demo.
    large.generate(ensure_organisation(), scale=SCALE, progress=False)
    return sizes_for(SCALE)


def test_large_set_has_the_requested_counts(large_set):
    big = Account.objects.get(name=BIG_ACCOUNT_NAME)
    assert Account.objects.count() == large_set["accounts"]
    assert Activity.objects.count() == large_set["activities"]
    assert Opportunity.objects.count() == large_set["opportunities"]
    assert big.activities.count() == large_set["big_activities"]
    assert big.documents.count() == large_set["big_documents"]


def test_owners_are_twenty_sellers_in_four_teams(large_set):
    big = Account.objects.get(name=BIG_ACCOUNT_NAME)
    owners = User.objects.filter(accounts__isnull=False).distinct()
    assert 10 <= owners.count() <= 20
    assert all(owner.has_role(*roles.SELLING_ROLES) for owner in owners)
    assert Team.objects.filter(members__accounts__isnull=False).distinct().count() >= 2
    assert User.objects.filter(team__isnull=False).count() == 20
    assert Team.objects.count() == 4
    assert big.owner.username == "salesperson"


def test_related_rows_point_at_the_same_account(large_set):
    assert (
        not Activity.objects.filter(contact__isnull=False)
        .exclude(contact__account=F("account"))
        .exists()
    )
    assert (
        not Activity.objects.filter(opportunity__isnull=False)
        .exclude(opportunity__account=F("account"))
        .exists()
    )
    assert (
        not Activity.objects.exclude(owner=F("account__owner"))
        .filter(account__name=BIG_ACCOUNT_NAME)
        .exists()
    )
    primaries = ContactPerson.objects.filter(is_primary=True)
    assert primaries.values("account").distinct().count() == primaries.count()


def test_records_are_valid_and_spread_in_time(large_set):
    done_or_cancelled = (Activity.Status.DONE, Activity.Status.CANCELLED)
    assert not Activity.objects.exclude(outcome="").exclude(status=Activity.Status.DONE).exists()
    assert Activity.objects.filter(status__in=done_or_cancelled).exists()
    assert Activity.objects.filter(status=Activity.Status.PLANNED).exists()
    closed = Opportunity.objects.filter(stage__in=[Opportunity.Stage.WON, Opportunity.Stage.LOST])
    assert not closed.filter(closed_at__isnull=True).exists()
    open_ = Opportunity.objects.filter(stage__in=Opportunity.OPEN_STAGES)
    assert not open_.filter(closed_at__isnull=False).exists()
    assert Account.objects.values("created_at").distinct().count() > 100
    # Spot-check the model rules bulk inserts skip.
    for account in Account.objects.order_by("?")[:20]:
        account.full_clean()
    # The auto timestamps are back on for everyone else.
    assert Account._meta.get_field("created_at").auto_now_add


def test_each_document_of_the_big_account_has_a_stored_version(large_set, media_root):
    versions = DocumentVersion.objects.filter(document__account__name=BIG_ACCOUNT_NAME)
    assert versions.count() == Document.objects.filter(account__name=BIG_ACCOUNT_NAME).count()
    for version in versions:
        path = media_root / version.file.name
        assert path.read_bytes().startswith(b"%PDF")
        assert path.stat().st_size == version.size


def test_large_command_adds_the_small_demo_and_refuses_to_run_twice_unless_forced():
    generate()
    assert User.objects.get(username="designer").department is not None
    with pytest.raises(CommandError):
        generate()
    before = Account.objects.count()
    generate("--force")
    assert Account.objects.count() == before + sizes_for(SCALE)["accounts"]
    nips = Account.objects.exclude(nip="").values_list("nip", flat=True)
    assert len(set(nips)) == len(nips)
