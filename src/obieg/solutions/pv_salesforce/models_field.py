"""Field meetings and the field salespeople's working days (owned by the field part).

A `Meeting` is a visit promised to a customer inside a time window; the route
solver (routes.py) gives it a salesperson and a start time and puts it into
that person's calendar. `FieldDay` holds one field salesperson's settings the
solver needs: where their day starts and ends, their hours and weekdays;
the days they do not work are their `Absence`s (models_queue), as for every
salesperson. `FieldPlan` records that a day was
planned (one row per day), so several workers' clocks plan it once.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from obieg.core.access import AccessPaths
from obieg.core.identifiers import validate_postal_code
from obieg.crm.models import Timestamped

__all__ = ["FieldDay", "FieldPlan", "Meeting"]


def _coordinate(label, limit: int):
    return models.DecimalField(
        label,
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-limit), MaxValueValidator(limit)],
    )


def default_weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]


class Meeting(Timestamped):
    """A visit of a field salesperson at a customer's, inside the window promised to them."""

    # The salesperson sees their meetings; managers see their team's (core.access).
    access = AccessPaths(owner="salesperson")

    class Status(models.TextChoices):
        BOOKED = "booked", _("booked")
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    class Outcome(models.TextChoices):
        MET = "met", _("met")
        NOT_AT_HOME = "not_at_home", _("not at home")
        WON = "won", _("won")
        LOST = "lost", _("lost")

    # Meetings the solver may (re)place: booked, or planned but not yet visited.
    OPEN_STATUSES = (Status.BOOKED, Status.PLANNED)

    opportunity = models.ForeignKey(
        "crm.Opportunity",
        on_delete=models.PROTECT,
        related_name="field_meetings",
        verbose_name=_("opportunity"),
    )
    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="field_meetings",
        verbose_name=_("field salesperson"),
    )
    window_start = models.DateTimeField(_("window from"))
    window_end = models.DateTimeField(_("window until"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(600)],
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=6, blank=True, validators=[validate_postal_code]
    )
    latitude = _coordinate(_("latitude"), 90)
    longitude = _coordinate(_("longitude"), 180)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.BOOKED
    )
    planned_start = models.DateTimeField(_("planned start"), null=True, blank=True)
    # Where the meeting sits in its salesperson's route and the drive to it (from the
    # previous stop or the home base), as the solver planned them.
    route_position = models.PositiveSmallIntegerField(_("order"), null=True, blank=True)
    travel_minutes = models.PositiveIntegerField(_("travel (minutes)"), null=True, blank=True)
    event = models.ForeignKey(
        "scheduling.CalendarEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("calendar event"),
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_reason = models.CharField(_("reason"), max_length=200, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("booked by"),
    )
    # A manager's hand-over of the visit to one person: re-planning keeps it with them.
    pinned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("kept with"),
    )
    # A fill-in visit: a field-queue customer the planner put into a gap of the day,
    # with no time promised (its window is the working day). Booked meetings have none.
    queue_item = models.ForeignKey(
        "pv_salesforce.QueueItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fill_in_visits",
        verbose_name=_("from the field queue"),
    )

    class Meta:
        verbose_name = _("field meeting")
        verbose_name_plural = _("field meetings")
        ordering = ["window_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_end__gt=F("window_start")),
                name="pv_salesforce_meeting_window_ends_after_start",
                violation_error_message=_("The window must end after it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "window_start"]),
            models.Index(fields=["salesperson", "planned_start"]),
            models.Index(fields=["opportunity", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity} · {self.window_start:%Y-%m-%d %H:%M}"

    @property
    def is_fill_in(self) -> bool:
        return self.queue_item_id is not None


class FieldDay(models.Model):
    """One field salesperson's working-day settings: home base, hours, weekdays."""

    access = AccessPaths(owner="user")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="field_day",
        verbose_name=_("field salesperson"),
    )
    home_postal_code = models.CharField(
        _("home base postal code"), max_length=6, blank=True, validators=[validate_postal_code]
    )
    home_latitude = _coordinate(_("home base latitude"), 90)
    home_longitude = _coordinate(_("home base longitude"), 180)
    day_start = models.TimeField(_("working from"), default=time(8, 0))
    day_end = models.TimeField(_("working until"), default=time(18, 0))
    working_weekdays = models.JSONField(_("working days"), default=default_weekdays)
    active = models.BooleanField(_("active"), default=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("field salesperson's day")
        verbose_name_plural = _("field salespeople's days")
        constraints = [
            models.CheckConstraint(
                condition=Q(day_end__gt=F("day_start")),
                name="pv_salesforce_field_day_ends_after_start",
                violation_error_message=_("The working day must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)


class FieldPlan(models.Model):
    """The plan of one day's field meetings: when it was built and what did not fit."""

    day = models.DateField(_("day"), unique=True)
    built_at = models.DateTimeField(_("built"))
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("built by"),
    )
    placed = models.PositiveIntegerField(_("placed"), default=0)
    # Meeting ids the solver could not place, with the reason shown to the manager.
    unplaced = models.JSONField(_("not placed"), default=list, blank=True)
    travel_minutes = models.PositiveIntegerField(_("travel (minutes)"), default=0)

    class Meta:
        verbose_name = _("field day plan")
        verbose_name_plural = _("field day plans")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day}"
