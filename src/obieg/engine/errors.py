"""Errors the engine raises; all are ApplicationErrors that views render as 4xx."""

from __future__ import annotations

from obieg.core.errors import ApplicationError, Conflict, PermissionDenied

__all__ = ["ApplicationError", "Conflict", "PermissionDenied", "DeployError", "StepFailed"]


class DeployError(ApplicationError):
    """A model was refused at deploy; `problems` lists "file: element: reason" lines."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("The process models were not deployed:\n" + "\n".join(problems))


class StepFailed(ApplicationError):
    """An automatic step failed; the step was rolled back and the case awaits an administrator."""

    status_code = 409

    def __init__(self, message: str, *, case_id: int, element_id: str = ""):
        super().__init__(message)
        self.case_id = case_id
        self.element_id = element_id
