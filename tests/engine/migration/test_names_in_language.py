"""The diff and move pages name a shipped process's elements in the reader's language (#17).

The shipped PV model is written in English with Polish names beside each
element. Version 2 renames the waiting step `audit` to `site_audit` and gives
it another Polish name, so each name can only come from its own version: the
old element's from version 1, the new one's from version 2.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from obieg.engine import deploy, labels
from obieg.engine.migration import cases as migration
from obieg.engine.models import Case
from obieg.engine.runtime import services as engine
from obieg.solutions import pv_installation
from tests.engine.migration.conftest import renamed

PROCESSES = Path(pv_installation.__file__).parent / "processes"
PROCESS_PL, PROCESS_EN = "Sprzedaż i montaż instalacji PV", "PV sale and installation"
OLD_PL, OLD_EN = "Audyt u klienta", "Audit at the customer"  # the model's: "…customer's site"
OLD_MODEL = "Audit at the customer's site"
NEW_PL = "Audyt na miejscu montażu"
MAP = {"map:audit": "site_audit"}


def _deploy(bpmn: str):
    files = {"pv_installation.bpmn": bpmn, "vat_rate.dmn": (PROCESSES / "vat_rate.dmn").read_text()}
    report = deploy.deploy_sources(files, solution="pv_installation")
    assert not report.refused, [f.line() for f in report.findings.refusals]
    return next(d for d in report.definitions if d.key == "pv_installation")


@pytest.fixture(autouse=True)
def fresh_labels():
    labels.clear()
    yield
    labels.clear()


@pytest.fixture
def versions(org):
    shipped = (PROCESSES / "pv_installation.bpmn").read_text()
    assert f'name="{OLD_PL}"' in shipped  # the shipped model carries the Polish name
    v1 = _deploy(shipped)
    # No title given: the case is named by its process, in the reader's language.
    case = engine.start_case(process="pv_installation", actor=org.sara)
    v2 = _deploy(renamed(shipped, "audit", "site_audit").replace(OLD_PL, NEW_PL))
    assert v2.version == v1.version + 1
    return v1, v2, case


def read(client, language: str, url: str, data=None, *, post=False) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    answer = client.post(url, data) if post else client.get(url, data)
    assert answer.status_code == 200, answer.status_code
    return answer.content.decode()


def test_the_diff_page_names_each_element_by_its_own_version(client, org, versions):
    v1, v2, _case = versions
    client.force_login(org.admin)
    url = reverse("engine:version_diff", args=[v2.pk])
    polish = read(client, "pl", url, {"other": v1.pk})
    assert PROCESS_PL in polish  # the heading and the breadcrumb
    removed = polish.split('data-element-id="audit"')[1].split("</li>")[0]
    added = polish.split('data-element-id="site_audit"')[1].split("</li>")[0]
    assert OLD_PL in removed and NEW_PL not in removed
    assert NEW_PL in added and OLD_PL not in added
    assert OLD_EN not in polish and PROCESS_EN not in polish
    english = read(client, "en", url, {"other": v1.pk})
    assert OLD_EN in english and PROCESS_EN in english
    assert OLD_PL not in english and NEW_PL not in english


def test_the_move_page_names_mapping_steps_and_landings_in_polish(client, org, versions):
    v1, v2, case = versions
    client.force_login(org.admin)
    url = reverse("engine:migration_cases", args=[v1.pk])
    page = read(client, "pl", url, {"other": v2.pk})
    row = page.split('data-element-id="audit"')[1].split("</tr>")[0]
    assert OLD_PL in row  # the source's element, by the source
    assert f"{NEW_PL} (site_audit)" in row  # the target's choice, by the target
    assert PROCESS_PL in page and OLD_EN not in page

    dry = read(client, "pl", url, {"other": v2.pk, **MAP, "run": "dry_run"}, post=True)
    outcome = dry.split(f'data-case="{case.pk}"')[1].split("</li>\n")[0]
    assert f"#{case.pk} {PROCESS_PL}" in outcome  # the title that is only the process's name
    waiting = outcome.split('class="text-body-secondary migration-waiting"')[1]
    assert OLD_PL in waiting.split("</span>")[0]  # waits in the old version's step
    assert f"{OLD_PL} <code>audit</code> → {NEW_PL} <code>site_audit</code>" in outcome
    assert OLD_EN not in dry and PROCESS_EN not in dry

    english = read(client, "en", url, {"other": v2.pk, **MAP, "run": "dry_run"}, post=True)
    assert f"#{case.pk} {PROCESS_EN}" in english and OLD_EN in english
    assert OLD_PL not in english and NEW_PL not in english


def test_the_run_result_names_the_case_in_polish_and_history_keeps_model_names(
    client, org, versions
):
    v1, v2, case = versions
    client.force_login(org.admin)
    url = reverse("engine:migration_cases", args=[v1.pk])
    case.refresh_from_db()
    done = read(
        client,
        "pl",
        url,
        {"other": v2.pk, **MAP, "case": f"{case.pk}:{case.revision}", "run": "migrate"},
        post=True,
    )
    result = done.split('id="migration-result"')[1]
    assert f"#{case.pk} {PROCESS_PL}" in result and PROCESS_EN not in result
    event = case.events.get(kind="migrated")
    # The history keeps the model's own names (one language for every reader).
    assert event.name == PROCESS_EN
    assert {(land["from_name"], land["to_name"]) for land in event.data["landings"]} >= {
        ("Audit at the customer's site", "Audit at the customer's site")
    }
    assert all("from_name_display" not in land for land in event.data["landings"])


def test_the_api_answers_name_display_beside_the_model_names(client, org, versions):
    v1, v2, case = versions
    client.force_login(org.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"
    diff = client.get(
        f"/api/engine/definitions/{v2.pk}/diff/", {"other": v1.pk}, HTTP_ACCEPT_LANGUAGE="pl"
    ).json()
    by_id = {item["id"]: item for item in diff["elements"]}
    assert (by_id["audit"]["name"], by_id["audit"]["name_display"]) == (
        "Audit at the customer's site",
        OLD_PL,
    )
    assert by_id["site_audit"]["name_display"] == NEW_PL

    answer = client.post(
        f"/api/engine/definitions/{v1.pk}/migration/dry-run/",
        {"target": v2.pk, "mapping": {"audit": "site_audit"}},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="pl",
    ).json()
    [row] = [r for r in answer["mapping_rows"] if r["element_id"] == "audit"]
    assert (row["name"], row["name_display"]) == ("Audit at the customer's site", OLD_PL)
    [outcome] = answer["cases"]
    assert outcome["title"] == PROCESS_EN and outcome["title_display"] == PROCESS_PL
    assert [(s["element_id"], s["name_display"]) for s in outcome["waiting"]] == [("audit", OLD_PL)]
    [landing] = outcome["landings"]
    assert (landing["from_name_display"], landing["to_name_display"]) == (OLD_PL, NEW_PL)
    assert landing["from_name"] == landing["to_name"] == "Audit at the customer's site"

    definition = client.get(f"/api/engine/definitions/{v2.pk}/", HTTP_ACCEPT_LANGUAGE="pl").json()
    assert (definition["name"], definition["name_display"]) == (PROCESS_EN, PROCESS_PL)


def test_the_dry_run_names_its_cases_without_a_query_per_case(org, versions):
    v1, v2, case = versions

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            dry = migration.dry_run(
                actor=org.admin, source=v1, target=v2, mapping={"audit": "site_audit"}
            )
        assert [outcome.title_display for outcome in dry.outcomes] == [PROCESS_EN] * len(
            dry.outcomes
        )
        return len(seen.captured_queries)

    with translation.override("en"):
        queries()  # the first reads each version's files once (then cached)
        one = queries()
        # Three more cases on version 1 (new ones start on version 2: given v1's state).
        more = [engine.start_case(process="pv_installation", actor=org.sara).pk for _ in "abc"]
        case.refresh_from_db()
        Case.objects.filter(pk__in=more).update(definition=v1, state=case.state)
        assert queries() == one


def test_history_names_the_steps_before_a_move_by_the_version_they_ran_on(org, versions):
    """A step done on version 1 whose element version 2 renamed keeps version 1's name."""
    from obieg.core import clock
    from obieg.engine.models import CaseEvent
    from obieg.engine.web import case_context

    v1, v2, case = versions
    at = clock.now()
    done = CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.TASK_COMPLETED, element_id="audit", name=OLD_MODEL, at=at
    )
    moved = CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.MIGRATED,
        name=PROCESS_EN,
        data={"from_definition": v1.pk, "to_definition": v2.pk},
        at=at,
    )
    later = CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.TASK_COMPLETED,
        element_id="site_audit",
        name=OLD_MODEL,
        at=at,
    )
    Case.objects.filter(pk=case.pk).update(definition=v2)
    case = Case.objects.select_related("definition").get(pk=case.pk)
    with translation.override("pl"):
        names = {line.event.pk: line.name for line in case_context.history_lines(case)}
        newest = {line.event.pk: line.name for line in case_context.history_lines(case, last=2)}
    # Version 2 has no element `audit`: only version 1 names it, in Polish.
    assert names[done.pk] == OLD_PL
    assert names[moved.pk] == PROCESS_PL
    assert names[later.pk] == NEW_PL
    assert newest == {moved.pk: PROCESS_PL, later.pk: NEW_PL}
