"""Forms of the grant project's user tasks, registered with the engine by key."""

FORMS: dict = {}
