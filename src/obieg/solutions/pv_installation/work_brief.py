"""What a crew needs at hand for its part of an installation: where, whom to call, when, what.

Shown above the roof and electrical report forms, on an installer's phone:
the address with its town and a link that opens navigation to it, the
customer's phone, the planned days (as the crews' calendar has them now, so
a planner's drag shows here at once) and the components and materials of
the part. Nothing about money: sale prices and costs are the office's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from obieg.scheduling import navigation
from obieg.scheduling.models import CalendarEvent
from obieg.solutions.pv_installation import planning
from obieg.solutions.pv_installation.models import PVProject

# What each part builds, from the design and the audit: (case data key, label).
COMPONENTS = {
    "roof": [
        ("panel_model", _("Panel model")),
        ("panel_count", _("Number of panels")),
        ("panel_wp", _("Panel power (Wp)")),
        ("mounting", _("Mounting system")),
        ("roof_type", _("Roof type")),
        ("roof_covering", _("Roof covering")),
        ("roof_pitch", _("Pitch (°)")),
        ("azimuth", _("Azimuth (°, 180 = south)")),
    ],
    "electrical": [
        ("inverter", _("Inverter")),
        ("storage", _("Energy storage (optional)")),
        ("panel_count", _("Number of panels")),
        ("phases", _("Phases")),
        ("connection_power_kw", _("Connection power (kW)")),
        ("operator", _("Distribution operator (OSD)")),
        ("ppe_number", _("Metering point (PPE) number")),
    ],
}
NOTES = [("audit_notes", _("Audit notes")), ("design_notes", _("Design notes"))]


@dataclass(frozen=True)
class PlannedDays:
    first: date
    last: date
    crew: str = ""


@dataclass
class WorkBrief:
    part: str
    project: PVProject | None
    customer: str = ""
    address: str = ""
    phone: str = ""
    directions_url: str = ""
    geo_uri: str = ""
    planned: PlannedDays | None = None
    components: list[tuple[str, object]] = field(default_factory=list)
    materials: list[tuple[str, object, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)


def project_of(case_data: dict) -> PVProject | None:
    """The project a case's data belongs to (by its contract, set before any crew works)."""
    contract = case_data.get("contract_id")
    if not contract:
        return None
    return PVProject.objects.select_related("account", "offer").filter(contract_id=contract).first()


def site_address(project: PVProject) -> str:
    """The installation's address with its town, as a navigation app needs it."""
    account = project.account
    street = project.site_address.strip() or account.street.strip()
    town = " ".join(filter(None, [account.postal_code, account.city])).strip()
    if not town or (account.city and account.city.casefold() in street.casefold()):
        return street
    return f"{street}, {town}" if street else town


def customer_phone(project: PVProject) -> str:
    if project.account.phone:
        return project.account.phone
    contact = project.account.contacts.exclude(phone="").first()
    return contact.phone if contact else ""


def planned_days(case_data: dict, part: str) -> PlannedDays | None:
    """The days the part is planned on: its calendar event as it stands, else the plan's data."""
    event_id = case_data.get(f"{part}_event")
    event = (
        CalendarEvent.objects.select_related("crew")
        .filter(pk=event_id)
        .exclude(status=CalendarEvent.Status.CANCELLED)
        .first()
        if event_id
        else None
    )
    if event is not None:
        return PlannedDays(
            timezone.localtime(event.start).date(),
            timezone.localtime(event.end).date(),
            event.crew.name if event.crew_id else "",
        )
    if case_data.get("start_date") and case_data.get("roof_days"):
        return PlannedDays(*planning.work_period(case_data, part))
    return None


def brief(case_data: dict, part: str, *, project: PVProject | None = None) -> WorkBrief:
    # Imported here: the audit's words come from the forms, which import this module.
    from obieg.solutions.pv_installation.audit_words import audit_words

    project = project or project_of(case_data)
    result = WorkBrief(part=part, project=project, planned=planned_days(case_data, part))
    words = audit_words(case_data)  # "dwuspadowy", not "gable"
    result.components = [
        (label, words.get(key, case_data[key]))
        for key, label in COMPONENTS[part]
        if case_data.get(key) not in (None, "")
    ]
    result.notes = [(label, case_data[key]) for key, label in NOTES if case_data.get(key)]
    if project is None:
        return result
    result.customer = project.account.name
    result.address = site_address(project)
    result.phone = customer_phone(project)
    result.directions_url = navigation.directions_url(result.address)
    result.geo_uri = navigation.geo_uri(result.address)
    if project.offer_id:
        result.materials = [
            (line.description, line.quantity, line.unit)
            for line in project.offer.lines.order_by("position", "id")
        ]
    return result
