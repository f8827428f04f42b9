"""The diff and move pages and their API: same checks, access for process administrators only."""

import pytest
from django.urls import reverse

from obieg.core import roles
from obieg.engine.runtime import services as engine
from tests.conftest import make_user
from tests.engine.helpers import open_elements, reload
from tests.engine.migration.conftest import deploy_version, renamed, sample


@pytest.fixture
def two_versions(org):
    v1 = deploy_version({"parallel.bpmn": sample("parallel.bpmn")})
    case = engine.start_case(process="installation_prep", actor=org.sara)
    v2 = deploy_version(
        {"parallel.bpmn": renamed(sample("parallel.bpmn"), "advance_invoice", "issue_advance")}
    )
    return v1, v2, case


@pytest.fixture
def paula(db):
    return make_user("paula", roles.PROCESS_ADMIN)


def test_the_diff_page_lists_added_removed_and_changed_elements(client, paula, two_versions):
    v1, v2, _case = two_versions
    client.force_login(paula)
    page = client.get(reverse("engine:version_diff", args=[v2.pk]), {"other": v1.pk})
    assert page.status_code == 200
    diff = page.context["diff"]
    assert [item.id for item in diff.removed] == ["advance_invoice"]
    assert [item.id for item in diff.added] == ["issue_advance"]
    assert {item.id for item in diff.changed} == {"flow_3", "flow_5"}  # their ends changed


def test_a_salesperson_sees_neither_page(client, org, two_versions):
    v1, v2, _case = two_versions
    client.force_login(org.sara)
    assert client.get(reverse("engine:version_diff", args=[v2.pk])).status_code == 403
    assert client.get(reverse("engine:migration_cases", args=[v1.pk])).status_code == 403


def test_the_move_page_dry_runs_then_moves_the_listed_cases(client, paula, two_versions):
    v1, v2, case = two_versions
    client.force_login(paula)
    url = reverse("engine:migration_cases", args=[v1.pk])
    page = client.get(url, {"other": v2.pk})
    assert page.context["mapping"] == {"advance_invoice": "issue_advance"}  # suggested
    dry = client.post(url, {"other": v2.pk, "map:advance_invoice": "", "run": "dry_run"})
    assert [o.movable for o in dry.context["dry"].outcomes] == [False]  # not mapped: stays
    dry = client.post(
        url, {"other": v2.pk, "map:advance_invoice": "issue_advance", "run": "dry_run"}
    )
    assert [o.movable for o in dry.context["dry"].outcomes] == [True]
    assert reload(case).definition_id == v1.pk
    done = client.post(
        url,
        {
            "other": v2.pk,
            "map:advance_invoice": "issue_advance",
            "case": f"{case.pk}:{reload(case).revision}",
            "run": "migrate",
        },
    )
    assert [o.moved for o in done.context["moved"]] == [True]
    assert reload(case).definition_id == v2.pk
    assert open_elements(case) == ["issue_advance", "order_panels"]


def test_a_version_of_another_process_is_not_found(client, paula, two_versions, org):
    v1, _v2, _case = two_versions
    other = deploy_version({"timers.bpmn": sample("timers.bpmn")})
    client.force_login(paula)
    url = reverse("engine:migration_cases", args=[v1.pk])
    assert client.get(url, {"other": other.pk}).status_code == 404
    assert client.get(url, {"other": "x"}).status_code == 404


def test_the_api_diffs_dry_runs_and_moves(client, paula, two_versions):
    v1, v2, case = two_versions
    client.force_login(paula)
    diff = client.get(f"/api/engine/definitions/{v1.pk}/diff/", {"other": v2.pk})
    assert diff.status_code == 200
    states = {item["id"]: item["state"] for item in diff.json()["elements"]}
    assert states["advance_invoice"] == "removed" and states["issue_advance"] == "added"

    dry_url = f"/api/engine/definitions/{v1.pk}/migration/dry-run/"
    refused = client.post(
        dry_url,
        {"target": v2.pk, "mapping": {"advance_invoice": "nowhere"}},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "nowhere is not an element of version 2." in str(refused.json())
    dry = client.post(
        dry_url,
        {"target": v2.pk, "mapping": {"advance_invoice": "issue_advance"}},
        content_type="application/json",
    ).json()
    assert dry["mapping_rows"][0]["suggestion"] == "issue_advance"
    [outcome] = dry["cases"]
    assert outcome["movable"] is True

    run_url = f"/api/engine/definitions/{v1.pk}/migration/"
    stale = client.post(
        run_url,
        {
            "target": v2.pk,
            "mapping": {"advance_invoice": "issue_advance"},
            "cases": [{"id": case.pk, "revision": outcome["revision"] + 5}],
        },
        content_type="application/json",
    ).json()
    assert stale["cases"][0]["moved"] is False
    moved = client.post(
        run_url,
        {
            "target": v2.pk,
            "mapping": {"advance_invoice": "issue_advance"},
            "cases": [{"id": case.pk, "revision": outcome["revision"]}],
        },
        content_type="application/json",
    ).json()
    assert moved["cases"][0]["moved"] is True
    assert reload(case).definition_id == v2.pk


def test_the_api_refuses_others_and_bad_input(client, org, paula, two_versions):
    v1, v2, case = two_versions
    client.force_login(org.sara)
    url = f"/api/engine/definitions/{v1.pk}/migration/"
    body = {"target": v2.pk, "cases": [{"id": case.pk, "revision": 1}]}
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(paula)
    assert (
        client.post(
            url, {"target": v2.pk, "cases": []}, content_type="application/json"
        ).status_code
        == 400
    )
    assert (
        client.post(
            url,
            {"target": v1.pk, "cases": [{"id": case.pk, "revision": 1}]},
            content_type="application/json",
        ).status_code
        == 400
    )
    assert client.get(f"/api/engine/definitions/{v1.pk}/diff/", {"other": "abc"}).status_code == 400
    assert reload(case).definition_id == v1.pk
