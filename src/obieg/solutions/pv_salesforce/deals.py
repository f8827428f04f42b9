"""Closing an opportunity as won or lost by the salesperson the schedule gave it to.

The telephone and field salespeople work on opportunities they do not own
(the manager's, the team's): the schedule gave them the call or the visit.
The callers check that (`outcomes` — the call is theirs; `meetings` — the
visit is theirs) and close the opportunity here, through the audited record
write, with the side effects `crm.services` gives a closed stage.
"""

from __future__ import annotations

from obieg.core import clock, records
from obieg.crm.models import Opportunity


def close(*, actor, opportunity: Opportunity, stage: str, reason: str = "") -> bool:
    """Close an open opportunity as won or lost (a lost one with the customer's reason).

    True when this call closed it; False when it was closed already, so only
    one caller goes on to what a win starts (the hand-over).
    """
    if stage not in (Opportunity.Stage.WON, Opportunity.Stage.LOST):
        raise ValueError(f"not a closing stage: {stage!r}")
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if not opportunity.is_open:
        return False
    data = {
        "stage": stage,
        "probability": Opportunity.DEFAULT_PROBABILITY[stage],
        "closed_at": clock.now(),
    }
    if stage == Opportunity.Stage.LOST:
        data["lost_reason"] = reason[:200]
    records.record_update(opportunity, actor=actor, data=data)
    return True
