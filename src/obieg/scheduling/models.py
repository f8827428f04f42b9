"""Crews, calendar events tied to business records, and external (CalDAV) calendars."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from obieg.core.access import AccessPaths

# Python's weekday numbers (Monday is 0): the week of an own crew by default.
MONDAY_TO_FRIDAY = [0, 1, 2, 3, 4]


def new_feed_token() -> str:
    """A secret for a feed URL: anyone holding it reads the calendar, so 256 random bits."""
    return secrets.token_urlsafe(32)


def new_uid() -> str:
    """A globally unique, stable iCalendar UID (RFC 5545 3.8.4.7)."""
    return f"{uuid.uuid4()}@obieg"


def default_weekdays() -> list[int]:
    return list(MONDAY_TO_FRIDAY)


def validate_weekdays(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one working day."))
    if any(not isinstance(day, int) or not 0 <= day <= 6 for day in value):
        raise ValidationError(_("Working days are numbers from 0 (Monday) to 6 (Sunday)."))
    if len(set(value)) != len(value):
        raise ValidationError(_("A working day is listed twice."))


colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB."))


class Skill(models.Model):
    """A kind of work a crew can do: roof mounting, electrical connection …"""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.name


class SyncStatus(models.TextChoices):
    NEVER = "never", _("not synchronised yet")
    OK = "ok", _("synchronised")
    RETRYING = "retrying", _("server unreachable, retrying")
    FAILED = "failed", _("failed, needs attention")
    # The OAuth grant (Google) was revoked: nothing syncs until someone connects again,
    # and the changes made meanwhile wait in Obieg (unsynced revisions), not lost.
    RECONNECT = "reconnect", _("access revoked, reconnect")


class CalDAVAccount(models.Model):
    """One external calendar (a CalDAV collection) kept in step with a crew's or a person's plan.

    The password is stored encrypted (see `crypto`); the sync state is the
    server's sync token plus, per event, the href and etag last seen. A Google
    calendar has no password: it signs in with an OAuth grant (`grant`) whose
    access token is sent as a bearer token.
    """

    url = models.URLField(_("calendar URL"), max_length=500)
    display_name = models.CharField(_("calendar name"), max_length=200, blank=True)
    grant = models.ForeignKey(
        "scheduling.OAuthGrant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
        verbose_name=_("Google connection"),
    )
    username = models.CharField(_("user name"), max_length=200, blank=True)
    password_encrypted = models.TextField(blank=True, editable=False)
    sync_token = models.TextField(blank=True, editable=False)
    status = models.CharField(
        _("sync status"), max_length=10, choices=SyncStatus.choices, default=SyncStatus.NEVER
    )
    last_error = models.TextField(_("last error"), blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last synchronised"), null=True, blank=True)
    # Consecutive failures: the back-off doubles with each one.
    failures = models.PositiveIntegerField(default=0)
    retry_at = models.DateTimeField(null=True, blank=True)
    # One sync per account at a time, across workers, without holding a row
    # lock over network calls: a lease taken with a conditional update.
    lease_until = models.DateTimeField(null=True, blank=True)
    next_pull_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("CalDAV calendar")
        verbose_name_plural = _("CalDAV calendars")

    def __str__(self) -> str:
        return self.display_name or self.url

    @property
    def uses_oauth(self) -> bool:
        return self.grant_id is not None

    @property
    def owner(self) -> Crew | UserCalendar | None:
        """The crew or the person's calendar this account belongs to."""
        for name in ("crew", "usercalendar"):
            try:
                return getattr(self, name)
            except (Crew.DoesNotExist, UserCalendar.DoesNotExist):
                continue
        return None


class CalendarOwner(models.Model):
    """What crews and people's calendars share: a private feed and an optional CalDAV calendar."""

    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    caldav = models.OneToOneField(
        CalDAVAccount,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(class)s",
        verbose_name=_("CalDAV calendar"),
    )

    class Meta:
        abstract = True


class Crew(CalendarOwner):
    """An installation crew, own or subcontracted, planned in the calendar."""

    # Members see their crew; planners see every crew (see selectors).
    access = AccessPaths(owner="members")

    class Kind(models.TextChoices):
        OWN = "own", _("own crew")
        SUBCONTRACTOR = "subcontractor", _("subcontractor")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OWN)
    company = models.CharField(_("company"), max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="crews", verbose_name=_("members")
    )
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="crews", verbose_name=_("skills")
    )
    working_weekdays = models.JSONField(
        _("working days"), default=default_weekdays, validators=[validate_weekdays]
    )
    colour = models.CharField(
        _("colour"), max_length=7, default="#2f6fd0", validators=[colour_validator]
    )
    active = models.BooleanField(_("active"), default=True)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("crew")
        verbose_name_plural = _("crews")

    def __str__(self) -> str:
        return self.name


class UserCalendar(CalendarOwner):
    """A person's own schedule (a salesperson's meetings): its feed and CalDAV calendar."""

    access = AccessPaths(owner="user")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar"
    )

    class Meta:
        verbose_name = _("personal calendar")
        verbose_name_plural = _("personal calendars")

    def __str__(self) -> str:
        return str(self.user)


class CalendarEvent(models.Model):
    """A planned piece of work of a crew or a person, tied to a business record.

    `revision` counts changes in Obieg; `synced_revision` is the revision the
    external calendar holds. When they differ, Obieg has a change to push.
    """

    # Personal events by their person (and team managers, through core.access);
    # crew events by crew membership and planners are added in selectors.
    access = AccessPaths(owner="user")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        CONFIRMED = "confirmed", _("confirmed")
        CANCELLED = "cancelled", _("cancelled")

    crew = models.ForeignKey(
        Crew,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("crew"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calendar_events",
        verbose_name=_("person"),
    )
    title = models.CharField(_("title"), max_length=200)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    # An all-day event starts and ends at midnight, Warsaw time (the end excluded);
    # it is written to calendars as dates (VALUE=DATE), so it stays all-day there.
    all_day = models.BooleanField(_("all day"), default=False)
    # An RFC 5545 recurrence rule without "RRULE:" (a weekly crew meeting:
    # "FREQ=WEEKLY;BYDAY=MO"); empty for a single event. See `recurrence`.
    rrule = models.CharField(_("repeats"), max_length=300, blank=True)
    # The end of the last occurrence of a series (None: it never ends), so that a
    # query finds the series that reach into a period without expanding them all.
    series_end = models.DateTimeField(null=True, blank=True, editable=False)
    location = models.CharField(_("location"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.BigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    uid = models.CharField(max_length=255, unique=True, default=new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    revision = models.PositiveIntegerField(default=1, editable=False)
    synced_revision = models.PositiveIntegerField(default=0, editable=False)
    # The external calendar that holds a copy, where, and in which version.
    synced_account = models.ForeignKey(
        CalDAVAccount, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    external_href = models.CharField(max_length=1000, blank=True, editable=False)
    external_etag = models.CharField(max_length=300, blank=True, editable=False)
    last_synced_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(crew__isnull=False) & Q(user__isnull=True))
                | (Q(crew__isnull=True) & Q(user__isnull=False)),
                name="scheduling_event_crew_xor_user",
                violation_error_message=_("An event belongs to a crew or to a person."),
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="scheduling_event_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
        ]
        indexes = [
            models.Index(fields=["crew", "start"]),
            models.Index(fields=["user", "start"]),
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["synced_account"]),
        ]
        verbose_name = _("calendar event")
        verbose_name_plural = _("calendar events")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.all_day and self.start and self.end:
            from obieg.scheduling.ical import local_zone

            zone = local_zone()
            for name in ("start", "end"):
                local = getattr(self, name).astimezone(zone)
                if (local.hour, local.minute, local.second, local.microsecond) != (0, 0, 0, 0):
                    raise ValidationError(
                        {name: _("An all-day event starts and ends at midnight.")}
                    )
        if self.rrule:
            from obieg.scheduling import recurrence

            try:
                recurrence.validate(self.rrule, self.start, all_day=self.all_day)
            except ValueError as error:
                raise ValidationError({"rrule": str(error)}) from error

    @property
    def repeats(self) -> bool:
        return bool(self.rrule)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def has_unsynced_change(self) -> bool:
        return self.revision != self.synced_revision


class StaleCopy(models.Model):
    """An event's copy left in an external calendar it no longer belongs to.

    Written in the same transaction that gives the event to another crew or
    person; that calendar's next sync deletes the copy, then this row.
    """

    account = models.ForeignKey(
        CalDAVAccount, on_delete=models.CASCADE, related_name="stale_copies"
    )
    href = models.CharField(max_length=1000)
    etag = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("copy to remove")
        verbose_name_plural = _("copies to remove")

    def __str__(self) -> str:
        return self.href


# Models kept in their own files, imported here so Django finds them.
from obieg.scheduling.models_busy import BusyTime, ExternalItem  # noqa: E402,F401
from obieg.scheduling.models_google import GoogleClientSettings, OAuthGrant  # noqa: E402,F401
