"""Administrators see every deployed version of each process and its diagram."""

from django.urls import reverse

from obieg.engine.runtime import services as engine
from tests.engine.conftest import DATA, deploy_samples


def two_versions(tmp_path):
    deploy_samples("approval.bpmn")
    changed = tmp_path / "approval.bpmn"
    changed.write_text((DATA / "approval.bpmn").read_text().replace("Send the offer", "Send it"))
    return deploy_samples(str(changed))["offer_approval"]


def test_an_admin_sees_the_versions_and_a_diagram(client, org, tmp_path):
    latest = two_versions(tmp_path)
    engine.start_case(process="offer_approval", actor=org.sara)
    client.force_login(org.admin)

    listing = client.get(reverse("engine:definition_list"))
    assert [v.version for v in listing.context["processes"]["offer_approval"]] == [2, 1]

    page = client.get(reverse("engine:definition_detail", args=[latest.pk]))
    assert page.status_code == 200
    assert [(v.version, v.case_count) for v in page.context["versions"]] == [(2, 1), (1, 0)]
    diagram = client.get(reverse("engine:definition_diagram", args=[latest.pk])).json()
    assert "Send it" in diagram["xml"] and diagram["states"] == {}


def test_others_may_not_see_the_definitions(client, org, tmp_path):
    latest = two_versions(tmp_path)
    client.force_login(org.sara)
    assert client.get(reverse("engine:definition_list")).status_code == 403
    assert client.get(reverse("engine:definition_detail", args=[latest.pk])).status_code == 403
    assert client.get(reverse("engine:definition_diagram", args=[latest.pk])).status_code == 404


def test_the_django_admin_lists_versions_with_a_diagram_link(admin_client, tmp_path):
    latest = two_versions(tmp_path)
    response = admin_client.get(reverse("admin:engine_processdefinition_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("engine:definition_detail", args=[latest.pk]) in html
    change = admin_client.get(reverse("admin:engine_processdefinition_change", args=[latest.pk]))
    assert change.status_code == 200
