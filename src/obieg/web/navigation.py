"""The main menu: apps and solutions add their entries in AppConfig.ready().

The base layout knows no app or solution by name; each one that has pages
says where they go:

    navigation.add("operations", _("Invoices"), "billing:invoice_list", order=10)

A solution that starts work of its own from a new lead offers it beside the
home page's "New lead" the same way:

    navigation.add_start(_("PV installation"), "pv:lead_new", visible=..., order=10)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

SECTIONS = {
    "sales": _("Sales"),
    "operations": _("Operations"),
    "admin": _("Administration"),
}


def everyone(user) -> bool:
    return True


# Compared and hashed as objects (eq=False): a menu's key is the tuple of its entries,
# hashed on every page, and hashing a lazy label would translate it each time.
@dataclass(frozen=True, eq=False)
class Entry:
    section: str
    label: str
    url_name: str
    visible: Callable[[object], bool]
    order: int


_entries: list[Entry] = []


def add(section: str, label, url_name: str, *, visible=everyone, order: int = 100) -> None:
    if section not in SECTIONS:
        raise ValueError(f"unknown menu section {section!r}")
    if any(entry.url_name == url_name for entry in _entries):
        return  # ready() may run twice (tests, autoreload)
    _entries.append(Entry(section, label, url_name, visible, order))


def menu_for(user) -> list[tuple[str, list[Entry]]]:
    """The sections with the entries `user` may see, in order; empty sections left out."""
    return _sections(_visible(user))


def _visible(user) -> tuple[Entry, ...]:
    return tuple(entry for entry in _entries if entry.visible(user))


def _sections(visible: tuple[Entry, ...]) -> list[tuple[str, list[Entry]]]:
    menu = []
    for key, title in SECTIONS.items():
        entries = sorted(
            (entry for entry in visible if entry.section == key),
            key=lambda entry: (entry.order, str(entry.label)),
        )
        if entries:
            menu.append((title, entries))
    return menu


class Menu:
    """`menu_for(user)` for the layout: worked out when the page first asks, never for a fragment.

    `key`, the entries the user may see, decides what the menu looks like in a
    language: web/_nav_items.html draws it once per key (`{% fixed nav_menu.key %}`),
    so a page asks each entry's `visible` and reverses no URL once the menu is drawn.
    """

    def __init__(self, user):
        self._user = user

    @cached_property
    def key(self) -> tuple[Entry, ...]:
        return _visible(self._user)

    def __iter__(self):
        return iter(_sections(self.key))


# Ways to start new work from a lead, offered by the home page's "New lead".
_starts: list[Entry] = []


def add_start(label, url_name: str, *, visible=everyone, order: int = 100) -> None:
    if any(entry.url_name == url_name for entry in _starts):
        return  # ready() may run twice (tests, autoreload)
    _starts.append(Entry("sales", label, url_name, visible, order))


def starts_for(user) -> list[Entry]:
    """The kinds of new lead `user` may start, in order (the plain CRM lead is the page's own)."""
    return sorted(
        (entry for entry in _starts if entry.visible(user)),
        key=lambda entry: (entry.order, str(entry.label)),
    )


# Ways to carry a won opportunity on into a solution's work ("Start the grant project"),
# offered on the opportunity's page as links with `?opportunity=<id>`.
_opportunity_actions: list[Entry] = []


def add_opportunity_action(label, url_name: str, *, visible=everyone, order: int = 100) -> None:
    if any(entry.url_name == url_name for entry in _opportunity_actions):
        return  # ready() may run twice (tests, autoreload)
    _opportunity_actions.append(Entry("sales", label, url_name, visible, order))


def opportunity_actions_for(user) -> list[Entry]:
    """What `user` may start from an opportunity they may change, in order."""
    return sorted(
        (entry for entry in _opportunity_actions if entry.visible(user)),
        key=lambda entry: (entry.order, str(entry.label)),
    )
