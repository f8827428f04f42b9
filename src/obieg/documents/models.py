"""Documents with versions, attached to an account and to any business record."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from obieg.core.access import AccessPaths
from obieg.core.text_search import SearchColumns, fold
from obieg.crm.models import Account


class Document(SearchColumns, models.Model):
    class Kind(models.TextChoices):
        OFFER = "offer", _("offer")
        CONTRACT = "contract", _("contract")
        PROTOCOL = "protocol", _("protocol")
        WARRANTY = "warranty", _("warranty")
        SERVICE_ORDER = "service_order", _("service order")
        CORRESPONDENCE = "correspondence", _("correspondence")
        SCHEMATIC = "schematic", _("schematic")
        PHOTO = "photo", _("photo")
        REPORT = "report", _("report")
        INVOICE = "invoice", _("invoice")
        PAYMENT_CLAIM = "payment_claim", _("payment claim")
        GRANT_APPLICATION = "grant_application", _("grant application")

    title = models.CharField(_("title"), max_length=200)
    # The folded title the global search looks in (core.text_search); written on save.
    search_title = models.CharField(max_length=200, blank=True, default="", editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    account = models.ForeignKey(
        Account,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("account"),
    )
    # The business record the document belongs to (offer, contract, case …).
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.BigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    current_version = models.PositiveIntegerField(_("current version"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    access = AccessPaths(
        owner="account__owner",
        department="account__opportunities__department",
        escalated="account__opportunities__escalated_to_board",
        finance=True,
        # Whoever works on the record a document belongs to (a case, its project) sees it.
        attached_to=("subject_type_id", "subject_id"),
    )

    search_sources = ("title",)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            models.Index(fields=["account", "kind", "-updated_at", "-id"]),
            # Every document the reader sees, recently changed first (the list and the API).
            models.Index(fields=["-updated_at", "-id"], name="documents_recent"),
            models.Index(fields=["subject_type", "subject_id"]),
        ]

    def __str__(self) -> str:
        return self.title

    def search_columns(self) -> dict[str, str]:
        return {"search_title": fold(self.title)[:200]}


def version_upload_to(instance: "DocumentVersion", filename: str) -> str:
    return f"documents/{instance.document_id}/v{instance.number}/{filename}"


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("type"), max_length=100)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"
