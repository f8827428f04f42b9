"""An import: the uploaded rows, what checking them found, and what was written."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One uploaded file on its way from preview to import.

    The rows are kept between the preview and the import so that the user
    confirms exactly what they saw; they are dropped once imported, since a
    file may carry personal data (PESEL, phones) that belongs in the records,
    not in a copy of the file.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("waiting for confirmation")
        IMPORTED = "imported", _("imported")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_batches",
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(_("uploaded"))
    record_type = models.CharField(_("record type"), max_length=20)
    file_name = models.CharField(_("file"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED
    )
    # [{"line": 2, "cells": {"name": "…", …}}, …] as read from the file.
    rows = models.JSONField(default=list)
    # One outcome per row: {"line", "action", "label", "pk", "revision", "changes", "errors"}.
    outcomes = models.JSONField(default=list)
    # Column key -> the header as the file wrote it (errors name the file's own columns).
    headers = models.JSONField(default=dict)
    # Headers of the file that mean nothing to this record type (shown, not imported).
    ignored_columns = models.JSONField(default=list)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [
            models.Index(fields=["created_by", "-created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.file_name
