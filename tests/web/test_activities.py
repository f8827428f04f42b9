"""Activities: add, edit, mark done from the timeline, delete."""

from django.urls import reverse
from django.utils import timezone

from obieg.crm import services
from obieg.crm.models import Activity
from tests.factories import AccountFactory, ActivityFactory, ContactFactory

CALL = {
    "kind": "call",
    "status": "planned",
    "subject": "Ask about the roof",
    "occurs_at": "2026-03-02T10:30",
    "duration_minutes": "15",
}


def test_a_planned_call_is_added_to_the_account(client, org):
    account = AccountFactory(owner=org.sara)
    contact = ContactFactory(account=account)
    client.force_login(org.sara)
    response = client.post(
        reverse("activity_create", args=[account.pk]), {**CALL, "contact": contact.pk}
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.account, activity.contact, activity.owner) == (account, contact, org.sara)
    assert timezone.localtime(activity.occurs_at).hour == 10  # entered in Warsaw time


def test_an_outcome_is_refused_for_a_planned_activity(client, org):
    account = AccountFactory(owner=org.sara)
    client.force_login(org.sara)
    response = client.post(
        reverse("activity_create", args=[account.pk]), {**CALL, "outcome": "positive"}
    )
    assert list(response.context["form"].errors) == ["outcome"]
    assert not Activity.objects.exists()
    done = client.post(
        reverse("activity_create", args=[account.pk]),
        {**CALL, "status": "done", "outcome": "positive"},
    )
    assert done.status_code == 302
    assert Activity.objects.get().outcome == "positive"


def test_a_contact_of_another_account_cannot_be_chosen(client, org):
    account = AccountFactory(owner=org.sara)
    foreign = ContactFactory(account=AccountFactory(owner=org.sara))
    client.force_login(org.sara)
    response = client.post(
        reverse("activity_create", args=[account.pk]), {**CALL, "contact": foreign.pk}
    )
    assert "contact" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_marking_done_from_the_timeline_swaps_the_item(client, org):
    activity = ActivityFactory(account=AccountFactory(owner=org.sara))
    client.force_login(org.sara)
    response = client.post(
        reverse("activity_mark_done", args=[activity.pk]),
        {"revision": activity.revision},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(
        f'<article class="timeline-item timeline-done" id="activity-{activity.pk}"'
    )
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DONE


def test_marking_done_a_changed_activity_reports_the_conflict(client, org):
    activity = ActivityFactory(account=AccountFactory(owner=org.sara))
    services.activity_update(actor=org.manager, activity=activity, data={"subject": "Moved"})
    client.force_login(org.sara)
    url = reverse("activity_mark_done", args=[activity.pk])
    assert client.post(url, {"revision": 1}).status_code == 409
    inline = client.post(url, {"revision": 1}, HTTP_HX_REQUEST="true")
    assert inline.status_code == 200 and 'role="alert"' in inline.content.decode()
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PLANNED


def test_a_stale_edit_is_refused_and_overwrites_nothing(client, org):
    activity = ActivityFactory(account=AccountFactory(owner=org.sara), subject="Original")
    services.activity_update(actor=org.manager, activity=activity, data={"subject": "Manager's"})
    client.force_login(org.sara)
    response = client.post(reverse("activity_edit", args=[activity.pk]), {**CALL, "revision": 1})
    assert response.status_code == 409
    activity.refresh_from_db()
    assert activity.subject == "Manager's"


def test_another_salesperson_gets_404_on_edit_done_and_delete(client, org):
    activity = ActivityFactory(account=AccountFactory(owner=org.sara))
    client.force_login(org.olga)
    for name in ("activity_edit", "activity_mark_done", "activity_delete"):
        assert client.post(reverse(name, args=[activity.pk])).status_code == 404
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PLANNED


def test_delete_asks_for_confirmation_first(client, org):
    activity = ActivityFactory(account=AccountFactory(owner=org.sara))
    client.force_login(org.sara)
    url = reverse("activity_delete", args=[activity.pk])
    assert client.get(url).status_code == 200
    assert Activity.objects.filter(pk=activity.pk).exists()
    response = client.post(url)
    assert response["Location"].startswith(reverse("account_detail", args=[activity.account_id]))
    assert not Activity.objects.filter(pk=activity.pk).exists()
