"""Actions and forms, registered by name by solutions; the engine knows no solution.

A solution registers in its AppConfig.ready():

    from obieg.engine import registry
    registry.register_action("pv.send_offer", send_offer)
    registry.register_form("pv.audit", AuditForm)

A BPMN service task names its action (`obieg:action="pv.send_offer"`), a
user task its form (`obieg:form="pv.audit"`); deploy refuses a model that
names one nobody registered.

An action takes an `ActionContext` and may return a dict merged into the
case data. It runs inside the step's transaction: anything that leaves
the machine (e-mail, calendars) must be enqueued (`ctx.enqueue(task, …)`),
never done directly, so a rolled-back step sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms

from obieg.engine import form_schema
from obieg.engine.form_schema.resolve import form_class_for


@dataclass
class ActionContext:
    case: Any  # obieg.engine.models.Case
    actor: Any  # the user whose step runs the action, or None for the clock
    element_id: str
    data: dict[str, Any]  # the case data at this task (read it; return changes)
    new_keys: list[str] = field(default_factory=list)

    def add_correlation_key(self, key: str) -> None:
        """Let messages addressed to `key` ("offer:17") reach this case."""
        self.new_keys.append(key)

    def enqueue(self, task, *args, **kwargs):
        """Queue outbound work; it is written with the step and dropped if the step fails."""
        return task.enqueue(*args, **kwargs)


Action = Callable[[ActionContext], dict[str, Any] | None]

_actions: dict[str, Action] = {}
_forms: dict[str, type[forms.Form]] = {}


def register_action(name: str, action: Action) -> Action:
    if name in _actions and _actions[name] is not action:
        raise ValueError(f"an action named {name!r} is already registered")
    _actions[name] = action
    return action


def action(name: str) -> Callable[[Action], Action]:
    """Decorator form of register_action."""
    return lambda function: register_action(name, function)


def register_form(key: str, form_class: type[forms.Form]) -> type[forms.Form]:
    if key in _forms and _forms[key] is not form_class:
        raise ValueError(f"a form named {key!r} is already registered")
    _forms[key] = form_class
    return form_class


def unregister(name: str) -> None:
    """Forget an action or form (tests use it to stay independent)."""
    _actions.pop(name, None)
    _forms.pop(name, None)


def get_action(name: str) -> Action | None:
    return _actions.get(name)


def get_form(key: str) -> type[forms.Form] | None:
    return _forms.get(key)


def has_action(name: str) -> bool:
    return name in _actions


def has_form(key: str) -> bool:
    return key in _forms


def form_for(key: str, *, case=None) -> type[forms.Form] | None:
    """The form a task's key names: a registered one, or `schema:<key>` from the case's version.

    A schema form that cannot be found comes back as a form that refuses every
    submission, never as None (which would let any data through).
    """
    if key.startswith(form_schema.PREFIX):
        return form_class_for(key[len(form_schema.PREFIX) :], case)
    return _forms.get(key)


def action_names() -> list[str]:
    """Every registered action, sorted (the process studio offers them as choices)."""
    return sorted(_actions)


def form_keys() -> list[str]:
    """Every registered form, sorted."""
    return sorted(_forms)
