"""Appointments a crew or a person made in their own calendar: busy time for the plan.

Obieg reads them from the external calendar on every sync (they are not
Obieg's events, which it never changes) and keeps only when they are: the
title and details stay private to the crew. A recurring series is expanded
with its exceptions (EXDATE, RECURRENCE-ID) into one row per occurrence up
to a horizon; its text is kept so that later syncs extend the horizon
without asking the server again.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExternalItem(models.Model):
    """One calendar object of an external calendar that is not Obieg's."""

    account = models.ForeignKey(
        "scheduling.CalDAVAccount", on_delete=models.CASCADE, related_name="external_items"
    )
    href = models.CharField(max_length=1000)
    # The href's unquoted path: the same object however a server spells its URL.
    path = models.CharField(max_length=1000)
    etag = models.CharField(max_length=300, blank=True)
    uid = models.CharField(max_length=255, blank=True)
    # Kept for a series that runs past the horizon, to expand it further later.
    ics = models.TextField(blank=True)
    expanded_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "path"], name="scheduling_external_item_path"
            )
        ]
        indexes = [models.Index(fields=["account", "expanded_until"])]
        verbose_name = _("external appointment")
        verbose_name_plural = _("external appointments")

    def __str__(self) -> str:
        return self.href


class BusyTime(models.Model):
    """One occurrence of an external appointment: the calendar's owner is busy then."""

    item = models.ForeignKey(ExternalItem, on_delete=models.CASCADE, related_name="busy_times")
    account = models.ForeignKey(
        "scheduling.CalDAVAccount", on_delete=models.CASCADE, related_name="busy_times"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    all_day = models.BooleanField(default=False)

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["account", "start"])]
        verbose_name = _("busy time")
        verbose_name_plural = _("busy times")

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M}–{self.end:%Y-%m-%d %H:%M}"
