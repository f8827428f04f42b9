"""Service-task actions of the grant project process, registered with the engine by name."""

ACTIONS: dict = {}
