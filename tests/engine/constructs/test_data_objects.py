"""Data objects and data stores document a model's data; the values stay in the case data."""

from __future__ import annotations

from obieg.engine.models import CaseStatus
from obieg.engine.runtime import services as engine
from tests.engine.constructs.conftest import deploy_models
from tests.engine.helpers import open_item, reload


def test_a_model_with_data_objects_and_a_data_store_deploys_and_runs(org):
    report = deploy_models("bpmnio_site_survey.bpmn")
    assert not report.refused and not report.findings.warnings

    case = engine.start_case(process="site_survey", actor=org.sara)
    engine.complete(
        work_item=open_item(case, "surveySite"), actor=org.sara, data={"roof_area": "42"}
    )
    # The next task reads the "Survey report": the values the survey wrote, from the case data.
    design = open_item(case, "designInstallation")
    assert reload(case).data["roof_area"] == "42"
    engine.complete(work_item=design, actor=org.sara, data={"panels": "20"})
    case = reload(case)
    assert case.status == CaseStatus.COMPLETED
    assert case.data == {"roof_area": "42", "panels": "20"}
