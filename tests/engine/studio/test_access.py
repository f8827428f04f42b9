"""The Processes area is for process administrators and administrators only."""

from __future__ import annotations

from django.urls import reverse

from obieg.core import access
from obieg.engine.models import StudioDraft
from obieg.web import navigation
from tests.engine.conftest import deploy_samples
from tests.engine.studio.conftest import APPROVAL, upload


def test_process_admins_and_admins_see_the_processes_others_do_not(client, org, process_admin):
    version = deploy_samples("approval.bpmn")["offer_approval"]
    pages = [
        reverse("engine:definition_list"),
        reverse("engine:definition_detail", args=[version.pk]),
        reverse("engine:studio_new"),
        reverse("engine:studio_drafts") + "?solution=",
    ]
    for user in (process_admin, org.admin):
        client.force_login(user)
        for url in pages:
            assert client.get(url).status_code == 200, (user, url)
    client.force_login(org.sara)
    for url in pages:
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("engine:definition_download", args=[version.pk])).status_code == 404
    assert upload(client, ("approval.bpmn", APPROVAL)).status_code == 403
    assert not StudioDraft.objects.exists()


def test_the_menu_offers_processes_to_a_process_admin(org, process_admin):
    def labels(user):
        return [str(e.label) for _s, entries in navigation.menu_for(user) for e in entries]

    assert "Processes" in labels(process_admin)
    assert "Processes" not in labels(org.sara)


def test_a_process_admin_does_not_add_customer_records(process_admin):
    assert not access.may_create(process_admin)
