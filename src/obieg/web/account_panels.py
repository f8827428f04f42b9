"""The customer 360° page's panels: apps and solutions add theirs in AppConfig.ready().

The account page knows no solution by name. Each one that keeps records of a
customer (grant projects, PV installations …) says what to show beside the
platform's own sales and activities:

    account_panels.add(
        "grants.projects",
        template="grants/pages/_account_panel.html",
        context=selectors.account_projects,  # (user, account) -> the template's context, or None
        order=20,
    )

A context of None (the user sees nothing of that kind for this customer)
leaves the panel out. The template gets the context as `panel`. Each context
should cost a fixed number of queries, however many records it lists.

A kind of record that is a plain list (inquiries, invoices …) is better added
as a section: a count beside its heading, the first rows, and "show more"
a page at a time, counted in the page's one statement of counts:

    account_panels.add_section(
        "inquiries",
        records=lambda account: Inquiry.objects.filter(account=account),
        ordering=["-created_at", "-id"],  # ends with a unique field; indexed
        rows="expert_opinions/pages/_account_inquiry_rows.html",
        card="expert_opinions/pages/_account_inquiries.html",
        visible=lambda user, account, records: ...,  # default: access.visible_under
        via="account",  # the foreign key `records` picks the account's rows by
        order=30,
    )
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]
    order: int


@dataclass(frozen=True)
class ShownPanel:
    key: str
    template: str
    context: dict[str, Any]


_panels: list[Panel] = []


def add_section(
    key: str,
    *,
    records,
    ordering: list[str],
    rows: str,
    card: str,
    visible=None,
    via: str = "account",
    order: int = 100,
    picked_by_id: bool = True,
) -> None:
    """A list section of the 360° page (see the module's docstring)."""
    from obieg.crm.selectors import account_sections

    account_sections.add(
        key,
        account_sections.Kind(
            records=records,
            ordering=ordering,
            template=rows,
            visible=visible,
            via=via,
            card=card,
            order=order,
            picked_by_id=picked_by_id,
        ),
    )


def add(key: str, *, template: str, context, order: int = 100) -> None:
    if any(panel.key == key for panel in _panels):
        return  # ready() may run twice (tests, autoreload)
    _panels.append(Panel(key, template, context, order))


def panels_for(user, account) -> list[ShownPanel]:
    """The panels with something to show `user` about `account`, in order."""
    shown = []
    for panel in sorted(_panels, key=lambda p: (p.order, p.key)):
        context = panel.context(user, account)
        if context is not None:
            shown.append(ShownPanel(panel.key, panel.template, context))
    return shown
