"""The administrator's home: what needs an administrator before anyone else can go on.

Work that nobody may take (no person, role or department), cases stopped by
a failed step, and solutions whose model files were refused. The counts stop
at CAP + 1 on the partial and status indexes; the refused files are the
processes page's own check, kept per content of the solution folders.
"""

from __future__ import annotations

from obieg.core import access
from obieg.engine import selectors, unassigned
from obieg.engine.studio import health

CAP = 999


def is_for(user) -> bool:
    return user.is_authenticated and user.is_active and access.is_admin(user)


def panel(user) -> dict:
    problems = health.solution_problems()
    return {
        "unassigned": unassigned.unassigned_count(cap=CAP),
        "failed": selectors.failed_cases()[: CAP + 1].count(),
        "refused": [
            {"solution": label, "files": sorted({finding.file for finding in findings})}
            for label, findings in sorted(problems.items())
        ],
        "cap": CAP,
    }
