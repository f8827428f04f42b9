"""Who gets a task whose model names its people the Camunda way (assignee, candidates).

The parser keeps what the model wrote (`people_assignee`,
`people_candidate_users`, `people_candidate_groups`); here each value is
evaluated on the case data (`camunda.evaluate`, as FEEL)
and the names are looked up (`people.resolve`). The assignee is the
person's; the first candidate that matches gives the queue (a role or a
department) — or the person, when it names one. What matches nothing is
returned as text: the item then waits in the administrators' unassigned
queue, never lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from obieg.engine import camunda, people
from obieg.engine.people import Target

_ORDER = (
    ("people_assignee", "assignee", True),
    ("people_candidate_users", "candidate users", True),
    ("people_candidate_groups", "candidate groups", False),
)


def split(target: Target) -> tuple[Target, int | None, str]:
    """A resolved name as (queue, person, nothing unmatched)."""
    if target.user_id is not None:
        return Target(), target.user_id, ""
    return target, None, ""


def _names(value: Any) -> list[str]:
    """The names an evaluated value gives: a text (perhaps comma-separated) or a list."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(item).strip() for item in value if str(item).strip()]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def route(
    attributes: Mapping[str, str], names: Mapping[str, Any]
) -> tuple[Target, int | None, str]:
    queue = Target()
    person: int | None = None
    unmatched: list[str] = []
    for key, label, person_first in _ORDER:
        written = attributes.get(key)
        if not written:
            continue
        for value in camunda.names_in(written):
            try:
                evaluated = _names(camunda.evaluate(value.text, names))
            except camunda.NotSupported:
                unmatched.append(f"{label}: {value.text}")
                continue
            for name in evaluated:
                found = people.resolve(name, person_first=person_first)
                if found is None:
                    unmatched.append(f"{label}: {name}")
                elif found.user_id is not None:
                    person = person if person is not None else found.user_id
                elif not queue.role and queue.department_id is None:
                    queue = found
    if person is None and not queue.role and queue.department_id is None:
        return Target(), None, "; ".join(unmatched) or "nobody"
    return queue, person, ""
