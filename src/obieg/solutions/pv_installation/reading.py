"""What each person reads of a PV case: the office everything, the crews the job.

An installer sees the case because they work on it, but the case data also
holds the purchase costs of the offer's lines, the payment references and
the customer's signed link (with which anyone could accept the contract in
the customer's name). People outside the office read an allow-list: the
site, the design, the plan and the reports — a key added later stays hidden
from them until it is named here — and the job's papers, not the offer,
contract or invoices.
"""

from __future__ import annotations

from obieg.core import access, roles
from obieg.engine.reading import EVERYTHING, Reading

OFFICE_ROLES = (roles.SALES_MANAGER, roles.ACCOUNTANT, roles.DESIGNER)

FIELD_DATA = frozenset(
    {
        # the site, from the audit
        "roof_type", "roof_covering", "roof_pitch", "azimuth", "usable_area", "shading",
        "phases", "connection_power_kw", "operator", "ppe_number", "building_type",
        "audit_notes",
        # the design, without its priced lines
        "power_kwp", "panel_model", "panel_wp", "panel_count", "inverter", "mounting",
        "storage", "design_notes",
        # the plan
        "contract_number", "start_date", "roof_days", "electrical_days", "roof_crew",
        "electrical_crew", "roof_event", "electrical_event", "roof_installer",
        "electrical_installer", "roof_from", "roof_until", "electrical_from",
        "electrical_until",
        # the reports
        "panel_serials", "roof_mounting_checked", "roof_sealed", "roof_notes",
        "roof_completed_on", "roof_confirm_early", "inverter_serial", "dc_tests_done",
        "grounding_checked", "commissioned", "electrical_notes", "electrical_completed_on",
        "electrical_confirm_early", "signed_by", "works_completed_on",
    }
)  # fmt: skip
FIELD_DOCUMENTS = frozenset({"schematic", "photo", "protocol", "warranty"})
FIELD = Reading(data_keys=FIELD_DATA, document_kinds=FIELD_DOCUMENTS)


def _office_role(user) -> bool:
    return access.is_admin(user) or any(user.has_role(role) for role in OFFICE_ROLES)


def is_office(user, project) -> bool:
    """The customer's salesperson (and managers), administrators, sales, design, accounting."""
    return _office_role(user) or access.can_change(user, project)


def case_reading(user, project) -> Reading:
    return EVERYTHING if is_office(user, project) else FIELD


def attached_documents(user):
    """What a PV project's participants see of its documents (core.access attachment rule).

    The office sees them all; the crews the job's papers. The customer's
    salesperson and their manager see the rest through the documents' own
    access paths (the customer is theirs).
    """
    from django.db.models import Q

    if _office_role(user):
        return None
    return Q(kind__in=FIELD_DOCUMENTS)
