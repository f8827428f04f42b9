"""Notifications (the bell), each person's choices, and the record of digests sent."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from obieg.core import clock


class Kind(models.TextChoices):
    MENTION = "mention", _("mentions of me in notes")
    ASSIGNED = "assigned", _("tasks assigned to me")
    DUE_TODAY = "due_today", _("tasks due today")
    OVERDUE = "overdue", _("overdue tasks")
    OFFER_ACCEPTED = "offer_accepted", _("offers my customers accepted")
    OFFER_REJECTED = "offer_rejected", _("offers my customers rejected")


class Source(models.TextChoices):
    WORK_ITEM = "work_item", _("process task")
    ACTIVITY = "activity", _("activity")
    OFFER = "offer", _("offer")


class Notification(models.Model):
    """One thing a person should know about: a mention, a task given to them, due or late.

    `key` says what the notification is about (`overdue:work_item:12`,
    `due_today:activity:7:2026-11-12`); it is unique per recipient, so a job
    or a hook that runs twice — two workers, a retried job, a note saved
    again — never tells a person the same thing twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
        db_index=False,  # the indexes below start with it
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    source = models.CharField(_("about"), max_length=20, choices=Source.choices)
    source_id = models.BigIntegerField()
    key = models.CharField(max_length=100)
    # What the person reads: the task's or the note's name as it was, and where it is.
    title = models.CharField(_("title"), max_length=200)
    url = models.CharField(max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent by"),
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=clock.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once")
        ]
        indexes = [
            # The list and the bell's menu: a person's newest first, read off the index.
            models.Index(fields=["recipient", "-id"], name="notification_recipient"),
            # The bell's count on every page: only the unread rows are in this index, in
            # the order the count reads them, so it stops at its cap (the same cost at
            # 10^6 rows) whether or not the table was vacuumed lately.
            models.Index(
                fields=["recipient", "-id"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


# Kinds one switch covers (a customer's answer to an offer, whichever it is); the
# other kinds have a switch of their own name.
SWITCH_OF = {Kind.OFFER_ACCEPTED: "offer_answered", Kind.OFFER_REJECTED: "offer_answered"}


class Preferences(models.Model):
    """What a person wants to hear about, in the app and in the morning e-mail.

    No row means the defaults below: everything in the app and a digest at
    seven in Polish.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    mention = models.BooleanField(_("when someone mentions me in a note"), default=True)
    assigned = models.BooleanField(_("when a task is assigned to me"), default=True)
    due_today = models.BooleanField(_("when a task of mine is due today"), default=True)
    overdue = models.BooleanField(_("when a task of mine is overdue"), default=True)
    offer_answered = models.BooleanField(
        _("when a customer accepts or rejects my offer"), default=True
    )
    digest = models.BooleanField(_("send me a daily e-mail digest"), default=True)
    digest_hour = models.PositiveSmallIntegerField(
        _("hour of the digest"), default=7, validators=[MaxValueValidator(23)]
    )
    language = models.CharField(
        _("language of the e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    # Bumped on every change; the page sends it back so two tabs never overwrite each other.
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user)

    def wants(self, kind: str) -> bool:
        return bool(getattr(self, SWITCH_OF.get(kind, kind)))


class DigestSent(models.Model):
    """A person's digest for a day: written before the e-mail is queued, once (the constraint)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    sent_at = models.DateTimeField(default=clock.now)
    # None when there was nothing to tell that day: the day is done all the same.
    message = models.ForeignKey(
        "mail.OutboxMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="notification_digest_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"


class ScanMark(models.Model):
    """How far a reminder job has read (an id or a moment) and when it last ran.

    Its row is locked for the run (SKIP LOCKED), so of several workers one
    runs each job at a time and the others go on with their beat.
    """

    name = models.CharField(max_length=50, primary_key=True)
    position = models.BigIntegerField(null=True, blank=True)
    until = models.DateTimeField(null=True, blank=True)
    ran_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder job")
        verbose_name_plural = _("reminder jobs")

    def __str__(self) -> str:
        return self.name
