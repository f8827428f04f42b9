"""Queues, their rules and the telephone schedule (owned by the queues part).

A manager's `QueueRule` list scores each `QueueItem` (one per opportunity) and
routes it to the telephone or the field queue; each morning the waiting phone
items become `CallSlot` rows of the telephone salespeople's days, within the
hours and capacity of their `SellerDay` settings and outside their `Absence`s.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from obieg.core.identifiers import Voivodeship
from obieg.crm.models import Lead
from obieg.solutions.pv_salesforce.models_field import default_weekdays

__all__ = [
    "Absence",
    "CallOutcome",
    "CallSlot",
    "LastOutcome",
    "Product",
    "QueueItem",
    "QueueKind",
    "QueueRule",
    "SellerDay",
]


class QueueKind(models.TextChoices):
    PHONE = "phone", _("telephone queue")
    FIELD = "field", _("field queue")


class Product(models.TextChoices):
    PV = "pv", _("PV")
    PV_STORAGE = "pv_storage", _("PV + storage")
    HEAT_PUMP = "heat_pump", _("heat pump")
    PV_HEAT_PUMP = "pv_heat_pump", _("PV + heat pump")
    STORAGE = "storage", _("energy storage")
    OTHER = "other", _("other")


class CallOutcome(models.TextChoices):
    NO_ANSWER = "no_answer", _("no answer")
    CALL_BACK = "call_back", _("call back")
    NOT_INTERESTED = "not_interested", _("not interested")
    MEETING = "meeting", _("meeting booked")


class LastOutcome(models.TextChoices):
    """What last happened to an item: a call's outcome, or a visit nobody opened the door to."""

    NO_ANSWER = CallOutcome.NO_ANSWER.value, CallOutcome.NO_ANSWER.label
    CALL_BACK = CallOutcome.CALL_BACK.value, CallOutcome.CALL_BACK.label
    NOT_INTERESTED = CallOutcome.NOT_INTERESTED.value, CallOutcome.NOT_INTERESTED.label
    MEETING = CallOutcome.MEETING.value, CallOutcome.MEETING.label
    NOT_AT_HOME = "not_at_home", _("not at home")


class QueueRule(models.Model):
    """One line of the manager's rule list: conditions (blank = any) and their effect."""

    position = models.PositiveIntegerField(_("place in the list"), default=0)
    name = models.CharField(_("name"), max_length=120)
    active = models.BooleanField(_("active"), default=True)
    source = models.CharField(_("lead source"), max_length=20, choices=Lead.Source.choices,
                              blank=True)  # fmt: skip
    voivodeship = models.CharField(
        _("voivodeship"), max_length=30, choices=Voivodeship.choices, blank=True
    )
    product = models.CharField(_("product"), max_length=20, choices=Product.choices, blank=True)
    min_value = models.DecimalField(
        _("minimum value"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    max_value = models.DecimalField(
        _("maximum value"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    max_age_days = models.PositiveIntegerField(_("maximum age (days)"), null=True, blank=True)
    previous_outcome = models.CharField(
        _("previous outcome"), max_length=20, choices=LastOutcome.choices, blank=True
    )
    points = models.IntegerField(
        _("points"), default=0, validators=[MinValueValidator(-10000), MaxValueValidator(10000)]
    )
    route_to = models.CharField(
        _("route to queue"), max_length=10, choices=QueueKind.choices, blank=True
    )
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("queue rule")
        verbose_name_plural = _("queue rules")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class QueueItem(models.Model):
    """An opportunity waiting in a queue, with its score and why it has it."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        SCHEDULED = "scheduled", _("scheduled")
        DONE = "done", _("done")
        CLOSED = "closed", _("closed")

    opportunity = models.OneToOneField(
        "crm.Opportunity", on_delete=models.CASCADE, related_name="queue_item",
        verbose_name=_("opportunity"),
    )  # fmt: skip
    queue = models.CharField(
        _("queue"), max_length=10, choices=QueueKind.choices, default=QueueKind.PHONE
    )
    score = models.IntegerField(_("score"), default=0)
    # [{"rule": id, "name": ..., "points": n}, ...]: shown as "why it is first".
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    source = models.CharField(_("lead source"), max_length=20, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    voivodeship = models.CharField(_("voivodeship"), max_length=30, blank=True)
    product = models.CharField(_("product"), max_length=20, choices=Product.choices, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, default=0)
    entered_at = models.DateTimeField(_("entered the queue"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    callback_at = models.DateTimeField(_("call back at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_outcome = models.CharField(
        _("last outcome"), max_length=20, choices=LastOutcome.choices, blank=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="queue_items", verbose_name=_("assigned to"),
    )  # fmt: skip
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True,
                              blank=True)  # fmt: skip
    lon = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True,
                              blank=True)  # fmt: skip
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("queue item")
        verbose_name_plural = _("queue items")
        indexes = [
            # The schedule's read: the best waiting items of a queue, older first on a tie.
            models.Index(
                fields=["queue", "status", "-score", "entered_at", "id"], name="pvsf_item_best"
            ),
            models.Index(fields=["queue", "status", "callback_at"], name="pvsf_item_callback"),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity_id} ({self.queue}, {self.score})"


class CallSlot(models.Model):
    """One planned call in a telephone salesperson's day."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")
        SKIPPED = "skipped", _("skipped")

    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="call_slots",
        verbose_name=_("salesperson"),
    )  # fmt: skip
    day = models.DateField(_("day"))
    position = models.PositiveIntegerField(_("place in the day"))
    planned_at = models.DateTimeField(_("planned at"))
    item = models.ForeignKey(
        QueueItem, on_delete=models.CASCADE, related_name="slots", verbose_name=_("queue item")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=CallOutcome.choices, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("planned call")
        verbose_name_plural = _("planned calls")
        ordering = ["day", "planned_at", "position", "id"]
        constraints = [
            # Never two salespeople (nor two slots) on one item at once.
            models.UniqueConstraint(
                fields=["item"], condition=Q(status="planned"), name="pvsf_slot_one_planned_item"
            ),
            models.UniqueConstraint(
                fields=["salesperson", "day", "position"], name="pvsf_slot_position"
            ),
        ]
        indexes = [models.Index(fields=["salesperson", "day", "planned_at"], name="pvsf_slot_day")]

    def __str__(self) -> str:
        return f"{self.day} #{self.position} ({self.salesperson_id})"


class SellerDay(models.Model):
    """A telephone salesperson's working week: hours, days, calls a day, minutes a call."""

    salesperson = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seller_day",
        verbose_name=_("salesperson"),
    )  # fmt: skip
    starts_at = models.TimeField(_("working from"), default=time(8, 0))
    ends_at = models.TimeField(_("working until"), default=time(16, 0))
    working_weekdays = models.JSONField(_("working days"), default=default_weekdays)
    capacity = models.PositiveIntegerField(
        _("calls a day"), default=40, validators=[MaxValueValidator(500)]
    )
    minutes_per_call = models.PositiveIntegerField(
        _("minutes a call"), default=10, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    active = models.BooleanField(_("active"), default=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("salesperson's working day")
        verbose_name_plural = _("salespeople's working days")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="pvsf_seller_day_ends_after_start",
                violation_error_message=_("The working day must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.salesperson_id}: {self.starts_at}–{self.ends_at}"

    def works_on(self, day) -> bool:
        """Whether this is one of the person's working weekdays (holidays and absences apart)."""
        return self.active and day.weekday() in (self.working_weekdays or [])


class Absence(models.Model):
    """Days a salesperson — telephone or field — is away (both ends included)."""

    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sales_absences",
        verbose_name=_("salesperson"),
    )  # fmt: skip
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        indexes = [models.Index(fields=["salesperson", "starts_on"], name="pvsf_absence")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="pvsf_absence_ends_after_start",
                violation_error_message=_("The absence must end on or after its first day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.salesperson_id}: {self.starts_on}–{self.ends_on}"
