"""The home page's panels: apps and solutions add theirs in AppConfig.ready().

The home page knows no app or solution by name. Each says what a person
whose work it is should see first, and to whom:

    dashboards.add(
        "opinions.secretariat",
        template="expert_opinions/home/secretariat.html",
        context=selectors.secretariat_queue,   # user -> the template's context
        visible=selectors.is_secretariat,      # user -> bool
        order=10,
    )

The platform's own sales panels (pipeline, activities, leads) are for those
who sell, and for anyone no panel is meant for, so no home page is empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from obieg.core import access, roles


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable[[Any], dict[str, Any]]
    visible: Callable[[Any], bool]
    order: int


@dataclass(frozen=True)
class ShownPanel:
    key: str
    template: str
    context: dict[str, Any]


_panels: list[Panel] = []


def add(key: str, *, template: str, context, visible, order: int = 100) -> None:
    if any(panel.key == key for panel in _panels):
        return  # ready() may run twice (tests, autoreload)
    _panels.append(Panel(key, template, context, visible, order))


def panels_for(user) -> list[ShownPanel]:
    """The panels meant for `user`, in order, each with its context read now."""
    meant = sorted((p for p in _panels if p.visible(user)), key=lambda p: (p.order, p.key))
    return [ShownPanel(p.key, p.template, p.context(user)) for p in meant]


def sells(user) -> bool:
    """Whether the platform's sales panels are this person's work."""
    return access.is_admin(user) or user.has_role(*roles.SELLING_ROLES, roles.SALES_MANAGER)
