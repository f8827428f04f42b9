"""Offers (line items, cost, price, margin, revisions) and contracts."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from obieg.core.access import AccessPaths
from obieg.core.money import (
    DocumentTotals,
    MoneyField,
    VatRate,
    document_totals,
    line_net,
    margin,
)
from obieg.crm.models import Account, Opportunity, Timestamped


class Offer(Timestamped):
    """One revision of an offer; a new revision supersedes the old, which stays readable."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        SUPERSEDED = "superseded", _("superseded")

    number = models.CharField(_("number"), max_length=40)
    revision_number = models.PositiveIntegerField(_("revision"), default=1)
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="offers", verbose_name=_("account")
    )
    opportunity = models.ForeignKey(
        Opportunity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("opportunity"),
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Totals are derived from the lines and stored by the services that
    # change lines, so lists and margin routing never add lines up again.
    total_net = MoneyField(_("net"), default=0)
    total_vat = MoneyField(_("VAT"), default=0)
    total_gross = MoneyField(_("gross"), default=0)
    total_cost = MoneyField(_("cost"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    # This revision's PDF (a version of the offer's document) and a fingerprint of what it
    # shows: an offer or customer changed since is drawn again (sales.offer_documents).
    pdf = models.ForeignKey(
        "documents.DocumentVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("PDF"),
    )
    pdf_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # Sent to the customer (sales.offer_sending) and answered through the link
    # (sales.offer_acceptance): by whom, when, and from which address.
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_to = models.EmailField(_("sent to"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by_name = models.CharField(_("answered by"), max_length=200, blank=True)
    answered_from = models.GenericIPAddressField(_("answered from"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    access = AccessPaths(
        owner="account__owner",
        department="opportunity__department",
        escalated="opportunity__escalated_to_board",
        finance=True,
    )

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.UniqueConstraint(
                fields=["number", "revision_number"], name="offer_number_revision_unique"
            )
        ]
        indexes = [
            models.Index(fields=["account", "-created_at"]),
            models.Index(fields=["status", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.number}/R{self.revision_number}"

    @property
    def margin(self) -> Decimal | None:
        return margin(self.total_net, self.total_cost)

    @property
    def is_superseded(self) -> bool:
        return self.status == self.Status.SUPERSEDED

    def totals(self) -> DocumentTotals:
        """Totals per VAT rate from the lines (prefetch them to read them once)."""
        return document_totals((line.vat_rate, line.net) for line in self.lines.all())


class OfferLine(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("position"), default=1)
    # The catalogue item the line was filled from, if any. The line keeps its own
    # copy of description, unit, price, cost and VAT: a later price change in the
    # catalogue never alters an offer. PROTECT: a used item is deactivated, not deleted.
    product = models.ForeignKey(
        "catalogue.Product",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offer_lines",
        verbose_name=_("catalogue item"),
    )
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    unit = models.CharField(_("unit"), max_length=20, default="szt.")
    unit_cost = MoneyField(_("unit cost"), default=0, validators=[MinValueValidator(0)])
    unit_price = MoneyField(_("unit price (net)"), validators=[MinValueValidator(0)])
    vat_rate = models.CharField(_("VAT rate"), max_length=3, choices=VatRate.choices)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("offer line")
        verbose_name_plural = _("offer lines")

    def __str__(self) -> str:
        return self.description

    @property
    def net(self) -> Decimal:
        return line_net(self.quantity, self.unit_price)

    @property
    def cost(self) -> Decimal:
        return line_net(self.quantity, self.unit_cost)


class Contract(Timestamped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        AWAITING_APPROVAL = "awaiting_approval", _("awaiting approval")
        APPROVED = "approved", _("approved")
        SENT = "sent", _("sent to the customer")
        SIGNED = "signed", _("signed")
        COMPLETED = "completed", _("completed")
        TERMINATED = "terminated", _("terminated")

    number = models.CharField(_("number"), max_length=40, unique=True)
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("account")
    )
    offer = models.ForeignKey(
        Offer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("offer"),
    )
    opportunity = models.ForeignKey(
        Opportunity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("opportunity"),
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    value_net = MoneyField(_("value net"), default=0, validators=[MinValueValidator(0)])
    value_gross = MoneyField(_("value gross"), default=0, validators=[MinValueValidator(0)])
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts",
        verbose_name=_("owner"),
    )

    access = AccessPaths(
        owner="account__owner",
        department="opportunity__department",
        escalated="opportunity__escalated_to_board",
        finance=True,
    )

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        indexes = [models.Index(fields=["account", "-created_at"])]

    def __str__(self) -> str:
        return self.number

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The contract cannot end before it starts.")})
        if self.value_gross < self.value_net:
            raise ValidationError({"value_gross": _("Gross value cannot be below net value.")})
