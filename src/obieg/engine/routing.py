"""Who a user task goes to, from the model: a role, a department, or a person.

In order of precedence:
1. `obieg:assignee` on the task: a safe expression naming one user
   (a username or id), e.g. `case_owner` or `designer_username`;
2. `obieg:role` / `obieg:department` on the task;
3. `obieg:role` / `obieg:department` on the task's lane;
4. the lane's name: `role:designer`, `department:construction`, or the
   bare name of a role (`board`).
A task with an assignee and a role goes to the person, and back to the
role's queue if released.
"""

from __future__ import annotations

from dataclasses import dataclass

from obieg.core import roles


@dataclass(frozen=True)
class Route:
    role: str = ""
    department: str = ""

    def __bool__(self) -> bool:
        return bool(self.role or self.department)


def route_for(attributes: dict[str, str], lane: str | None) -> Route:
    """The queue a task waits in, from its obieg attributes (lane ones prefixed `lane_`)."""
    role = attributes.get("role") or attributes.get("lane_role") or ""
    department = attributes.get("department") or attributes.get("lane_department") or ""
    if not role and not department and lane:
        name = lane.strip()
        if name.startswith("role:"):
            role = name.removeprefix("role:")
        elif name.startswith("department:"):
            department = name.removeprefix("department:")
        elif name in roles.ALL_ROLES:
            role = name
    return Route(role=role.strip(), department=department.strip())
