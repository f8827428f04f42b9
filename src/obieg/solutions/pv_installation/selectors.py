"""Reads of a PV project for its pages: the audit in words, the offer's estimate."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from obieg.solutions.pv_installation import estimates
from obieg.solutions.pv_installation.audit_words import audit_rows
from obieg.solutions.pv_installation.models import PVProject


def case_data(project: PVProject) -> dict[str, Any]:
    return project.case.data if project.case_id and project.case else {}


def offer_estimate(project: PVProject) -> estimates.Estimate | None:
    """Yield, savings and payback of the current offer (None before the first design)."""
    data = case_data(project)
    if project.offer is None or not data.get("power_kwp"):
        return None
    try:
        power = Decimal(str(data["power_kwp"]))
    except InvalidOperation:
        return None
    return estimates.estimate(
        power=power,
        gross=project.offer.total_gross,
        annual_consumption_kwh=data.get("annual_consumption_kwh"),
    )


def audit_summary(project: PVProject) -> list[tuple[Any, Any]]:
    """The audit as the project page shows it: each field's label and value, choices in words."""
    return audit_rows(case_data(project))
