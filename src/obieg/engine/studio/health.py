"""Solutions whose model files are refused: shown on the processes page and by `obieg check`.

`deploy.deploy_all` leaves such a solution out when the server starts (its
current versions keep running); this tells administrators why, until the
file is fixed. Checking parses every model, so the answer is kept per
content of the folders and computed again only when a file changes.
"""

from __future__ import annotations

import hashlib
import threading

from django.core import checks
from django.db import DatabaseError

from obieg.engine import deploy
from obieg.engine.findings import Finding

_lock = threading.Lock()
_cached: tuple[str, dict[str, list[Finding]]] | None = None


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for label, folder in deploy.solution_folders():
        digest.update(label.encode())
        for path in sorted([*folder.glob("*.bpmn"), *folder.glob("*.dmn")]):
            digest.update(path.name.encode())
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"unreadable")
    return digest.hexdigest()


def solution_problems() -> dict[str, list[Finding]]:
    """{solution label: refusals} of the solutions whose folder would not deploy now."""
    global _cached
    fingerprint = _fingerprint()
    with _lock:
        if _cached is not None and _cached[0] == fingerprint:
            return _cached[1]
    problems = {
        label: findings.refusals
        for label, findings in deploy.check_solutions().items()
        if findings.refusals
    }
    with _lock:
        _cached = (fingerprint, problems)
    return problems


@checks.register("obieg")
def check_solution_models(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`obieg check`: a warning per refused model file (never an error: serving goes on)."""
    try:
        problems = solution_problems()
    except DatabaseError:
        return []  # before migrate: the names in models cannot be looked up yet
    return [
        checks.Warning(
            f"{finding.line()}",
            hint=(
                f"The models of {label} were not deployed; its current versions keep running. "
                "Fix the file, or deploy a corrected version in the process studio."
            ),
            id="engine.W001",
        )
        for label, findings in problems.items()
        for finding in findings
    ]
