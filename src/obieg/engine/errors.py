"""Errors the engine raises; all are ApplicationErrors that views render as 4xx."""

from __future__ import annotations

from obieg.core.errors import ApplicationError, Conflict, PermissionDenied

__all__ = ["ApplicationError", "Conflict", "PermissionDenied", "DeployError", "StepFailed"]


class DeployError(ApplicationError):
    """A model was refused at deploy; `problems` lists "file: element: reason" lines.

    `findings` holds every refusal and warning (`engine.findings.Finding`), with
    element names, for whoever prints them in full (`obieg deploy`).
    """

    def __init__(self, problems: list[str], findings: list | None = None):
        self.problems = problems
        self.findings = findings or []
        super().__init__("The process models were not deployed:\n" + "\n".join(problems))


class StepFailed(ApplicationError):
    """An automatic step failed; the step was rolled back and the case awaits an administrator."""

    status_code = 409

    def __init__(self, message: str, *, case_id: int, element_id: str = ""):
        super().__init__(message)
        self.case_id = case_id
        self.element_id = element_id
