"""How a field visit went, and where that sends the customer next.

- **met**: the visit happened and the sale goes on with the opportunity's owner;
  the queue item is done.
- **not at home**: nobody opened the door. The customer goes back to the queue
  (the rules decide which; a rule may match "previous outcome: not at home"),
  so a telephone salesperson books the visit again.
- **lost**: the opportunity closes as lost with the customer's reason.
- **won**: the opportunity closes as won and is handed over to the work that
  follows a sale (`SALESFORCE_WON_HANDOVER`, the PV installation by default)
  through `crm.opportunity_hooks` — the sales force does not know that work's
  code. The hand-over runs after the outcome is committed (a case starts in
  the engine's own transaction) and only by the caller that closed the sale;
  if it fails, the sale stays won and the salesperson is told why.

The outcome itself is a conditional write on the meeting's revision.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from obieg.core import access, audit, roles
from obieg.core.errors import ApplicationError, Conflict, PermissionDenied
from obieg.crm import opportunity_hooks
from obieg.solutions.pv_salesforce import deals, queue
from obieg.solutions.pv_salesforce.models_field import Meeting
from obieg.solutions.pv_salesforce.models_queue import LastOutcome, QueueItem

logger = logging.getLogger(__name__)

DEFAULT_WON_HANDOVER = "pv_installation"


@dataclass
class VisitResult:
    meeting: Meeting
    handed_over: Any = None  # what the hand-over started (the PV project), if anything
    handover_error: str = ""  # why it did not start (the sale stays won all the same)


def may_record_outcome(actor, meeting: Meeting) -> bool:
    if access.is_admin(actor) or actor.has_role(roles.SALES_MANAGER):
        return True
    return meeting.salesperson_id == actor.pk


def won_handover() -> str:
    """The name of the work a won visit hands the opportunity to ("" hands over to nothing)."""
    return getattr(settings, "SALESFORCE_WON_HANDOVER", DEFAULT_WON_HANDOVER)


def record_outcome(
    *, actor, meeting: Meeting, outcome: str, reason: str = "", revision: int | None = None
) -> VisitResult:
    """Record how a visit went; the queue and the opportunity follow, a win is handed over."""
    locked, won_now = _record(
        actor=actor, meeting=meeting, outcome=outcome, reason=reason, revision=revision
    )
    result = VisitResult(meeting=locked)
    name = won_handover()
    if won_now and name:
        try:
            result.handed_over = opportunity_hooks.hand_over(
                name, actor=actor, opportunity=locked.opportunity
            )
        except opportunity_hooks.UnknownHandover:
            logger.warning("No solution registered the hand-over %r; the sale stays won", name)
            result.handover_error = _("No work is set up to follow a won sale.")
        except ApplicationError as error:
            result.handover_error = error.message
        except Exception:  # the outcome is committed: say so rather than answer 500
            logger.exception("Hand-over %r of opportunity %s failed", name, locked.opportunity_id)
            result.handover_error = _("The next work could not start; the server log says why.")
    return result


@transaction.atomic
def _record(*, actor, meeting: Meeting, outcome: str, reason: str, revision):
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not may_record_outcome(actor, locked):
        raise PermissionDenied(_("Only the meeting's salesperson records its outcome."))
    if revision is not None and locked.revision != revision:
        raise Conflict(_("Someone else changed this meeting; reload the page."))
    if outcome not in Meeting.Outcome.values:
        raise ApplicationError(
            _("Choose an outcome."), field_errors={"outcome": [_("Choose an outcome.")]}
        )
    reason = reason.strip()
    if outcome == Meeting.Outcome.LOST and not reason:
        raise ApplicationError(
            _("Give the reason for the loss."),
            field_errors={"reason": [_("Give the reason for the loss.")]},
        )
    if locked.status not in (Meeting.Status.PLANNED, Meeting.Status.DONE):
        raise ApplicationError(
            _("Only a planned meeting has an outcome."),
            field_errors={"outcome": [_("The meeting is not planned.")]},
        )
    before = audit.snapshot(locked)
    locked.outcome = outcome
    locked.outcome_reason = reason[:200]
    locked.status = Meeting.Status.DONE
    locked.revision += 1
    locked.save(update_fields=["outcome", "outcome_reason", "status", "revision", "updated_at"])
    audit.record_update(locked, actor=actor, before=before)
    _feed_back(locked, outcome)
    # True only for the caller that closed the sale as won: it alone hands it over.
    won_now = False
    if outcome in (Meeting.Outcome.WON, Meeting.Outcome.LOST):
        # The visit is theirs (may_record_outcome), whoever owns the opportunity.
        closed = deals.close(
            actor=actor, opportunity=locked.opportunity, stage=outcome, reason=reason
        )
        won_now = closed and outcome == Meeting.Outcome.WON
    return locked, won_now


def _item_of(meeting: Meeting) -> QueueItem | None:
    if meeting.queue_item_id is not None:
        return QueueItem.objects.select_for_update().get(pk=meeting.queue_item_id)
    return QueueItem.objects.select_for_update().filter(opportunity=meeting.opportunity_id).first()


def _feed_back(meeting: Meeting, outcome: str) -> None:
    """The customer's queue item after the visit (none for an opportunity never queued)."""
    item = _item_of(meeting)
    if item is None or item.status == QueueItem.Status.CLOSED:
        return
    if outcome == Meeting.Outcome.NOT_AT_HOME:
        item.status = QueueItem.Status.WAITING
        item.last_outcome = LastOutcome.NOT_AT_HOME
        item.callback_at = None
        item.assigned_to = None
        queue.rescore(item)
    elif outcome == Meeting.Outcome.MET:
        item.status = QueueItem.Status.DONE
    else:
        item.status = QueueItem.Status.CLOSED
    fields = ("status", "last_outcome", "callback_at", "assigned_to", "score", "queue", "reasons")
    QueueItem.objects.filter(pk=item.pk).update(
        **{name: getattr(item, name) for name in fields}, revision=F("revision") + 1
    )
