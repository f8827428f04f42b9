"""The main menu: apps and solutions add their entries in AppConfig.ready().

The base layout knows no app or solution by name; each one that has pages
says where they go:

    navigation.add("operations", _("Invoices"), "billing:invoice_list", order=10)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

SECTIONS = {
    "sales": _("Sales"),
    "operations": _("Operations"),
    "admin": _("Administration"),
}


def everyone(user) -> bool:
    return True


@dataclass(frozen=True)
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
    menu = []
    for key, title in SECTIONS.items():
        entries = sorted(
            (entry for entry in _entries if entry.section == key and entry.visible(user)),
            key=lambda entry: (entry.order, str(entry.label)),
        )
        if entries:
            menu.append((title, entries))
    return menu
