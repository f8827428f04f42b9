"""One error hierarchy for the domain, rendered the same way by views and the API."""


class ApplicationError(Exception):
    """A business rule refused the request; nothing was changed.

    `field_errors` maps a field name to its messages, so forms and the API
    can show the error beside the field that caused it.
    """

    status_code = 400

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class PermissionDenied(ApplicationError):
    """The actor may see the record but not change it."""

    status_code = 403


class Conflict(ApplicationError):
    """Someone else changed the record first (stale revision)."""

    status_code = 409
