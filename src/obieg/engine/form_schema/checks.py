"""The deploy check of a user task's `schema:<key>` form: there, JSON, and usable."""

from __future__ import annotations

from obieg.engine.form_schema import embedded, schema


def user_task_problems(node, key: str) -> list[str]:
    """Why the form `key` a user task names in its file cannot be used; empty when it can."""
    found = embedded.schemas_in_root(node.getroottree().getroot())
    if key not in found:
        return [f"no form {key!r} in this file (design it under Forms in the studio)"]
    if found[key] is None:
        return [f"the form {key!r} is not valid JSON"]
    return [f"form {key!r}: {problem}" for problem in schema.problems(found[key])]
