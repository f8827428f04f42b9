"""The PV project list's rows, worked out once per page instead of once per row in the template.

The list shows up to 100 projects; through the template each row reversed
its link, called the owner's get_full_name and formatted a date (about
60 us a row, 6 ms for a full page). Here the link is one reversed URL with
the id put in (core/prepared_rows.py) and the date format is looked up
once; pv_installation/project_list.html only prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from obieg.core.prepared_rows import date_text, url_for_each
from obieg.solutions.pv_installation.models import PVProject


@dataclass(frozen=True, slots=True)
class ProjectRow:
    pk: int
    url: str
    customer: str
    address: str
    salesperson: str  # the owner's full name, or their username when they have none
    created: str  # YYYY-MM-DD in local time


def prepare(projects: Iterable[PVProject]) -> list[ProjectRow]:
    """The rows of `projects`, read with their account and owner (select_related)."""
    url = url_for_each("pv:project")
    created = date_text("Y-m-d")
    return [
        ProjectRow(
            pk=project.pk,
            url=url(project.pk),
            customer=project.account.name,
            address=project.site_address,
            salesperson=project.owner.get_full_name() or project.owner.username,
            created=created(project.created_at),
        )
        for project in projects
    ]
