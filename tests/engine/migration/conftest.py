"""Two versions of the sample processes, deployed as a studio deploy would."""

from __future__ import annotations

from obieg.engine import deploy
from obieg.engine.models import ProcessDefinition
from tests.engine.conftest import DATA


def sample(name: str) -> str:
    return (DATA / name).read_text()


def deploy_version(files: dict[str, str]) -> ProcessDefinition:
    """Deploy {file name: XML} in the tests solution; the first process version made."""
    report = deploy.deploy_sources(files, solution="tests")
    assert not report.refused, [f.line() for f in report.findings.refusals]
    return report.definitions[0]


def renamed(xml: str, old: str, new: str) -> str:
    """The model with element `old` called `new` (its id and every reference to it)."""
    return xml.replace(f'"{old}"', f'"{new}"').replace(f">{old}<", f">{new}<")
