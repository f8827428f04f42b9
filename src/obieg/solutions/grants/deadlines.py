"""When a grant project's duty is reminded and escalated, counted in Polish business days.

Each kind has two offsets from the due date: negative counts back (remind a
claim ten business days before it is due), positive forward (chase an unpaid
invoice three business days after). A company changes them with the
`GRANTS_DEADLINES` setting, e.g. {"report": {"remind": -20, "escalate": -5}};
obligations already planned keep the moments they were given.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings

from obieg.core.business_days import add_business_days, subtract_business_days

DEFAULTS: dict[str, dict[str, int]] = {
    # An invoice is chased once it is overdue: a reminder to the client, then escalation.
    "payment": {"remind": 3, "escalate": 10},
    # A claim late to the grantor puts the grant at risk: remind early, escalate once missed.
    "claim": {"remind": -10, "escalate": 1},
    # Durability reports escalate *before* the deadline is missed.
    "report": {"remind": -15, "escalate": -3},
    "measurement": {"remind": -5, "escalate": -1},
}


def offsets(kind: str) -> dict[str, int]:
    configured = getattr(settings, "GRANTS_DEADLINES", {}) or {}
    return {**DEFAULTS[kind], **configured.get(kind, {})}


def shifted(day: date, business_days: int) -> date:
    if business_days >= 0:
        return add_business_days(day, business_days)  # type: ignore[return-value]
    return subtract_business_days(day, -business_days)


def moments(kind: str, due: date) -> tuple[date, date]:
    """(remind on, escalate on) for a duty of `kind` due on `due`."""
    policy = offsets(kind)
    return shifted(due, policy["remind"]), shifted(due, policy["escalate"])
