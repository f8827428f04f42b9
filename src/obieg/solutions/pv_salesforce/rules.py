"""The manager's rule list: what it says about a queue item, and its edits.

`evaluate` is pure: the rules (in position order) and the item's attributes
in, the score, the reasons and the queue out. Every active rule whose
conditions all hold adds its points; the first matching rule with a route
decides the queue (telephone when none does). Values compare as Decimals,
exactly. A no-answer lowers the score by a fixed step per attempt, apart
from the rules, so a rescore keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from obieg.core import audit, records
from obieg.core.errors import ApplicationError, Conflict
from obieg.core.identifiers import Voivodeship as V
from obieg.solutions.pv_salesforce.models_queue import QueueKind, QueueRule

NO_ANSWER_STEP = 5  # points lost per unanswered call, whatever the rules say

# The voivodeship of a postal code by its first two digits. An approximation: Poland's postal
# districts follow the pre-1999 provinces, so a few border towns (Radom 26-6xx, Żywiec 34-3xx)
# land beside their voivodeship; good enough to route and score a lead, not for an address.
_PREFIXES: list[tuple[int, int, str]] = [
    (0, 9, V.MAZOWIECKIE),
    (10, 14, V.WARMINSKO_MAZURSKIE),
    (15, 18, V.PODLASKIE),
    (19, 19, V.WARMINSKO_MAZURSKIE),
    (20, 24, V.LUBELSKIE),
    (25, 25, V.SWIETOKRZYSKIE),
    (26, 26, V.MAZOWIECKIE),
    (27, 29, V.SWIETOKRZYSKIE),
    (30, 34, V.MALOPOLSKIE),
    (35, 39, V.PODKARPACKIE),
    (40, 44, V.SLASKIE),
    (45, 49, V.OPOLSKIE),
    (50, 59, V.DOLNOSLASKIE),
    (60, 64, V.WIELKOPOLSKIE),
    (65, 69, V.LUBUSKIE),
    (70, 75, V.ZACHODNIOPOMORSKIE),
    (76, 77, V.POMORSKIE),
    (78, 78, V.ZACHODNIOPOMORSKIE),
    (80, 84, V.POMORSKIE),
    (85, 89, V.KUJAWSKO_POMORSKIE),
    (90, 99, V.LODZKIE),
]
VOIVODESHIP_BY_PREFIX = {n: v for low, high, v in _PREFIXES for n in range(low, high + 1)}


def voivodeship_of(postal_code: str) -> str:
    """The voivodeship of a Polish postal code ("31-042" → małopolskie), "" when unknown."""
    digits = (postal_code or "").strip()[:2]
    if len(digits) != 2 or not digits.isdigit():
        return ""
    return str(VOIVODESHIP_BY_PREFIX[int(digits)])


@dataclass(frozen=True)
class Facts:
    """What the rules read of an item."""

    source: str = ""
    voivodeship: str = ""
    product: str = ""
    value: Decimal = Decimal(0)
    age_days: int = 0
    last_outcome: str = ""
    attempts: int = 0


@dataclass(frozen=True)
class Verdict:
    score: int
    reasons: list[dict[str, Any]]
    queue: str


def matches(rule: QueueRule, facts: Facts) -> bool:
    """Whether every condition the rule sets holds for the item (a blank one holds always)."""
    if rule.source and rule.source != facts.source:
        return False
    if rule.voivodeship and rule.voivodeship != facts.voivodeship:
        return False
    if rule.product and rule.product != facts.product:
        return False
    if rule.min_value is not None and facts.value < rule.min_value:
        return False
    if rule.max_value is not None and facts.value > rule.max_value:
        return False
    if rule.max_age_days is not None and facts.age_days > rule.max_age_days:
        return False
    return not (rule.previous_outcome and rule.previous_outcome != facts.last_outcome)


def evaluate(rules: list[QueueRule], facts: Facts) -> Verdict:
    """The item's score, the rules behind it, and the queue it belongs in."""
    score, reasons, queue = 0, [], ""
    for rule in rules:
        if not rule.active or not matches(rule, facts):
            continue
        score += rule.points
        reasons.append({"rule": rule.pk, "name": rule.name, "points": rule.points})
        if rule.route_to and not queue:
            queue = rule.route_to
    if facts.attempts:
        score -= NO_ANSWER_STEP * facts.attempts
        penalty = -NO_ANSWER_STEP * facts.attempts
        reasons.append({"rule": None, "name": "no_answer", "points": penalty})
    return Verdict(score=score, reasons=reasons, queue=queue or QueueKind.PHONE)


def active_rules() -> list[QueueRule]:
    return list(QueueRule.objects.filter(active=True).order_by("position", "id"))


def age_days(entered_at, today: date) -> int:
    """Whole days in the queue, counted by Warsaw dates (entered yesterday at 23:30 is 1)."""
    return max((today - timezone.localdate(entered_at)).days, 0)


def facts_of(item, today: date) -> Facts:
    return Facts(
        source=item.source,
        voivodeship=item.voivodeship,
        product=item.product,
        value=item.value,
        age_days=age_days(item.entered_at, today),
        last_outcome=item.last_outcome,
        attempts=item.attempts,
    )


# --- edits of the list ----------------------------------------------------------------------

EDITABLE = (
    "name", "source", "voivodeship", "product", "min_value", "max_value", "max_age_days",
    "previous_outcome", "points", "route_to",
)  # fmt: skip


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """The posted fields as model values; unreadable numbers refused beside their field."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name in EDITABLE:
        raw = str(data.get(name, "") or "").strip()
        if name in ("min_value", "max_value"):
            try:
                cleaned[name] = Decimal(raw.replace(",", ".")) if raw else None
            except InvalidOperation:
                errors[name] = [_("Enter a number.")]
        elif name in ("max_age_days", "points"):
            try:
                cleaned[name] = int(raw) if raw else (0 if name == "points" else None)
            except ValueError:
                errors[name] = [_("Enter a whole number.")]
        else:
            cleaned[name] = raw
    low, high = cleaned.get("min_value"), cleaned.get("max_value")
    if low is not None and high is not None and low > high:
        errors["max_value"] = [_("The maximum must not be below the minimum.")]
    if errors:
        raise ApplicationError(_("Correct the marked fields."), field_errors=errors)
    return cleaned


@transaction.atomic
def rule_add(*, actor, data: dict[str, Any]) -> QueueRule:
    """Add a rule at the end of the list."""
    last = QueueRule.objects.order_by("-position").values_list("position", flat=True).first()
    return records.record_create(
        QueueRule, actor=actor, data={**_clean(data), "position": (last or 0) + 1}
    )


@transaction.atomic
def rule_change(*, actor, rule: QueueRule, data: dict[str, Any], revision=None) -> QueueRule:
    """Change a rule's conditions and effect (refused when someone changed it meanwhile)."""
    return records.record_update(rule, actor=actor, data=_clean(data), revision=revision)


@transaction.atomic
def rule_set_active(*, actor, rule: QueueRule, active: bool) -> QueueRule:
    """Switch a rule on or off without losing it."""
    return records.record_update(rule, actor=actor, data={"active": active})


@transaction.atomic
def rule_move(*, actor, rule: QueueRule, up: bool) -> None:
    """Swap a rule with its neighbour above or below (the order decides routing)."""
    ordered = list(QueueRule.objects.select_for_update().order_by("position", "id"))
    index = next((i for i, r in enumerate(ordered) if r.pk == rule.pk), None)
    if index is None:
        raise Conflict(_("This rule no longer exists."))
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, each in enumerate(ordered, start=1):
        if each.position != position:
            QueueRule.objects.filter(pk=each.pk).update(
                position=position, revision=F("revision") + 1
            )
    moved = {"position": [str(index + 1), str(other + 1)]}
    audit.record(rule, actor=actor, action="update", changes=moved)
