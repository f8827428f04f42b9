"""Entering the queue and scoring: an opportunity becomes a scored, routed queue item."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from obieg.core import access, audit, clock, roles
from obieg.core.errors import PermissionDenied
from obieg.crm.models import Lead, Opportunity
from obieg.solutions.pv_salesforce import rules
from obieg.solutions.pv_salesforce.models_queue import QueueItem, QueueRule

RESCORE_READ_BATCH = 5000
RESCORE_WRITE_BATCH = 1000
# Leads of these sources enter the queue when they are converted; a salesperson's own lead
# ("salesperson") is theirs to work on. Setting SALESFORCE_QUEUE_SOURCES changes the list.
DEFAULT_QUEUE_SOURCES = (
    Lead.Source.WEB_FORM,
    Lead.Source.PHONE,
    Lead.Source.REFERRAL,
    Lead.Source.API,
    Lead.Source.EVENT,
    Lead.Source.OTHER,
)
# The morning's ageing looks back this many days, so a worker that was down over a long
# weekend still moves the items whose age crossed a rule's limit meanwhile.
AGEING_CATCH_UP_DAYS = 7


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0, 0)))


def may_manage(user) -> bool:
    """Sales managers and administrators edit the rules, see the queues, rebuild the days."""
    if not user.is_authenticated:
        return False
    return access.is_admin(user) or user.has_role(roles.SALES_MANAGER)


def ensure_may_manage(user) -> None:
    if not may_manage(user):
        from django.utils.translation import gettext as _

        raise PermissionDenied(_("Only a sales manager may do this."))


def enqueue_opportunity(*, actor, opportunity: Opportunity, product: str = "") -> QueueItem:
    """Put an open opportunity into the queue its rules choose (once; again returns the item).

    The lead it was converted from gives the source and postal code; without
    one, the account's postal code. The account's coordinates, when known,
    go with it for the field part.
    """
    existing = QueueItem.objects.filter(opportunity=opportunity).first()
    if existing is not None:
        return existing
    lead = Lead.objects.filter(opportunity=opportunity).first()
    account = opportunity.account
    postal_code = (lead.postal_code if lead else "") or account.postal_code
    item = QueueItem(
        opportunity=opportunity,
        source=lead.source if lead else "",
        postal_code=postal_code,
        voivodeship=rules.voivodeship_of(postal_code) or account.voivodeship,
        product=product,
        value=opportunity.value,
        entered_at=clock.now(),
        lat=account.latitude,
        lon=account.longitude,
    )
    _apply(item, rules.evaluate(rules.active_rules(), rules.facts_of(item, clock.today())))
    try:
        with transaction.atomic():
            item.save()
            audit.record_create(item, actor=actor)
    except IntegrityError:  # entered by someone else at the same moment
        return QueueItem.objects.get(opportunity=opportunity)
    return item


def queue_sources() -> tuple[str, ...]:
    return tuple(getattr(settings, "SALESFORCE_QUEUE_SOURCES", DEFAULT_QUEUE_SOURCES))


def enqueue_converted(*, opportunity: Opportunity, lead: Lead, actor) -> None:
    """Listener of `crm.opportunity_hooks.opened`: a converted lead of a queued source enters."""
    if lead.source in queue_sources():
        enqueue_opportunity(actor=actor, opportunity=opportunity)


def _apply(item: QueueItem, verdict: rules.Verdict) -> None:
    item.score, item.reasons, item.queue = verdict.score, verdict.reasons, verdict.queue


def rescore(item: QueueItem) -> QueueItem:
    """Score one item anew by the current rules (after an outcome changed its facts)."""
    _apply(item, rules.evaluate(rules.active_rules(), rules.facts_of(item, clock.today())))
    return item


@dataclass
class RescoreReport:
    items: int = 0
    changed: int = 0


def rescore_all(*, actor) -> RescoreReport:
    """Recompute every open item's score, reasons and queue by the current rule list.

    Items with equal verdicts are written together: one UPDATE per verdict
    and batch of ids, so 200,000 items cost a few hundred statements. The
    revision is not bumped: a rescore is no one's edit of the item and must
    not turn a salesperson's outcome into a conflict.
    """
    ensure_may_manage(actor)
    return _rescore(QueueItem.objects.exclude(status=QueueItem.Status.CLOSED))


def rescore_aged(today: date) -> RescoreReport:
    """The morning's ageing: rescore the open items whose age crossed a rule's limit.

    A rule with "maximum age N days" stops matching an item the day it is N+1
    days old; only such items can change, so only they are read (a few days'
    entries per limit, not the whole queue).
    """
    limits = set(
        QueueRule.objects.filter(active=True, max_age_days__isnull=False).values_list(
            "max_age_days", flat=True
        )
    )
    if not limits:
        return RescoreReport()
    crossed = Q()
    for limit in limits:
        newest = local_midnight(today - timedelta(days=limit))  # age limit+1 from here back
        oldest = local_midnight(today - timedelta(days=limit + AGEING_CATCH_UP_DAYS))
        crossed |= Q(entered_at__gte=oldest, entered_at__lt=newest)
    return _rescore(QueueItem.objects.exclude(status=QueueItem.Status.CLOSED).filter(crossed))


def _rescore(open_items) -> RescoreReport:
    active = rules.active_rules()
    today = clock.today()
    report = RescoreReport()
    groups: dict[tuple, list[int]] = defaultdict(list)
    fields = ("pk", "source", "voivodeship", "product", "value", "entered_at", "last_outcome",
              "attempts", "score", "queue", "reasons")  # fmt: skip
    for row in open_items.values_list(*fields).iterator(chunk_size=RESCORE_READ_BATCH):
        pk, source, voiv, product, value, entered, last, attempts, score, queue, reasons = row
        facts = rules.Facts(
            source=source, voivodeship=voiv, product=product, value=value,
            age_days=rules.age_days(entered, today), last_outcome=last, attempts=attempts,
        )  # fmt: skip
        verdict = rules.evaluate(active, facts)
        report.items += 1
        if (verdict.score, verdict.queue, verdict.reasons) == (score, queue, reasons):
            continue
        key = (verdict.score, verdict.queue, json.dumps(verdict.reasons, sort_keys=True))
        groups[key].append(pk)
    with transaction.atomic():
        for (score, queue, reasons), pks in groups.items():
            decoded = json.loads(reasons)
            for start in range(0, len(pks), RESCORE_WRITE_BATCH):
                chunk = pks[start : start + RESCORE_WRITE_BATCH]
                report.changed += QueueItem.objects.filter(pk__in=chunk).update(
                    score=score, queue=queue, reasons=decoded
                )
    return report
