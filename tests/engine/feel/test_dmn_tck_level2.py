"""Every DMN TCK compliance level 2 test case must pass (bench/dmn_tck.py runs level 3 too)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from obieg.engine.decisions import tck

# The level-2 cases are kept with the tests (dmn_tck/README.md), so CI needs nothing beside.
ROOT = Path(__file__).resolve().parent / "dmn_tck" / "TestCases"
LEVEL_2 = [f for f in tck.find_case_files(ROOT) if f.level == 2] if ROOT.is_dir() else []


def _cases():
    for case_file in LEVEL_2:
        root = etree.parse(str(case_file.test_file)).getroot()
        for case in root:
            if tck.local(case.tag) == "testCase":
                yield pytest.param(
                    case_file, case.get("id"), id=f"{case_file.folder.name}#{case.get('id')}"
                )


CASES = list(_cases())


def test_the_kit_is_there():
    assert ROOT.is_dir(), f"DMN TCK not found at {ROOT}"
    assert len(CASES) > 100


@pytest.mark.parametrize(("case_file", "case_id"), CASES)
def test_level_2_case(case_file, case_id):
    root = etree.parse(str(case_file.test_file)).getroot()
    case = next(c for c in root if tck.local(c.tag) == "testCase" and c.get("id") == case_id)
    model = tck.load_model(case_file, root)
    outcomes = list(tck.run_case(case_file, model, case))
    assert outcomes
    failures = [f"{o.node}: {o.status} {o.detail}" for o in outcomes if o.status != "passed"]
    assert not failures
