"""The expert-opinions firm: experts (biegli), inquiries and what came to the board."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from obieg.core.access import AccessPaths
from obieg.core.models import Department, Specialisation
from obieg.core.money import MoneyField, to_grosz
from obieg.crm.models import Account, Activity, ContactPerson, Opportunity, Timestamped
from obieg.documents.models import Document
from obieg.engine.models import Case
from obieg.sales.models import Offer


class Expert(Timestamped):
    """A court expert or specialist the firm commissions; may serve several departments."""

    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("academic title"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    departments = models.ManyToManyField(
        Department, related_name="experts", verbose_name=_("departments")
    )
    specialisations = models.ManyToManyField(
        Specialisation, related_name="experts", verbose_name=_("specialisations")
    )
    hourly_rate = MoneyField(_("hourly rate (net PLN)"), validators=[MinValueValidator(0)])
    # Empty means available now; a date means busy until then.
    available_from = models.DateField(_("available from"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        indexes = [models.Index(fields=["active", "name", "id"])]

    def __str__(self) -> str:
        return f"{self.title} {self.name}".strip()


class Inquiry(Timestamped):
    """A client's request for an expert opinion, from a positive meeting to delivery."""

    class Status(models.TextChoices):
        NEW = "new", _("awaiting assignment")
        AT_DEPARTMENT = "at_department", _("at the department")
        IN_APPROVAL = "in_approval", _("offer in approval")
        AT_BOARD = "at_board", _("offer at the board")
        OFFER_SENT = "offer_sent", _("offer sent")
        ACCEPTED = "accepted", _("offer accepted")
        REJECTED_BY_BOARD = "rejected_by_board", _("rejected by the board")
        REJECTED_BY_CLIENT = "rejected_by_client", _("rejected by the client")
        COMMISSIONED = "commissioned", _("expert commissioned")
        OPINION_READY = "opinion_ready", _("opinion uploaded")
        DELIVERED = "delivered", _("delivered")

    number = models.CharField(_("number"), max_length=40, unique=True)
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("client")
    )
    contact = models.ForeignKey(
        ContactPerson,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("contact person"),
    )
    meeting = models.OneToOneField(
        Activity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiry",
        verbose_name=_("meeting"),
    )
    opportunity = models.ForeignKey(
        Opportunity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inquiries",
        verbose_name=_("opportunity"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    specialisation = models.ForeignKey(
        Specialisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("kind of opinion"),
    )
    court = models.CharField(_("court"), max_length=200, blank=True)
    case_reference = models.CharField(
        _("case reference (sygnatura akt)"), max_length=60, blank=True
    )
    requested_deadline = models.DateField(_("requested deadline"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiries",
        verbose_name=_("salesperson"),
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inquiries",
        verbose_name=_("department"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    escalated_to_board = models.BooleanField(_("escalated to the board"), default=False)
    offer = models.ForeignKey(
        Offer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inquiries",
        verbose_name=_("offer"),
    )
    offer_document = models.ForeignKey(
        Document,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("offer PDF"),
    )
    opinion = models.ForeignKey(
        Document,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opinion"),
    )
    opinion_due = models.DateField(_("opinion due"), null=True, blank=True)
    late_deadline_reason = models.CharField(
        _("why the opinion is due after the requested date"), max_length=500, blank=True
    )
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    # Billing is optional: the invoice is remembered by number, not by a foreign key.
    invoice_number = models.CharField(_("invoice"), max_length=60, blank=True)
    case = models.OneToOneField(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The secretariat sees every inquiry: selectors.inquiries_visible adds that role.
    access = AccessPaths(owner="owner", department="department", escalated="escalated_to_board")

    class Meta:
        ordering = ["-id"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        indexes = [
            models.Index(fields=["status", "-id"]),
            models.Index(fields=["department", "status", "-id"]),
            models.Index(fields=["owner", "-id"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    def get_absolute_url(self) -> str:
        # The engine's task and case pages link their subject through this.
        return reverse("expert_opinions:inquiry_detail", args=[self.pk])

    def case_summary(self) -> list[tuple[str, str]]:
        # The engine's task and case pages show this beside the work (the head's approval).
        from obieg.solutions.expert_opinions.selectors import inquiry_summary

        return inquiry_summary(self)


class ExpertAssignment(models.Model):
    """An expert picked for an inquiry: hours and the rate at the time, then the commission."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        COMMISSIONED = "commissioned", _("commissioned")
        DELIVERED = "delivered", _("opinion delivered")

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("expert")
    )
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2)
    hourly_rate = MoneyField(_("hourly rate"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "expert"], name="eo_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.expert} × {self.hours} h"

    @property
    def cost(self) -> Decimal:
        return to_grosz(self.hours * self.hourly_rate)


class BoardReview(models.Model):
    """An offer that came to the board because its margin was below the minimum."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("waiting")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        RETURNED = "returned", _("returned to the department")

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="board_reviews")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="+")
    net = MoneyField(_("price (net)"))
    cost = MoneyField(_("cost"))
    # Twenty places: rounded to four, a 29.9998 % margin read as the 30 % minimum it
    # missed. Amounts in grosz under 10^14 keep a margin below a 4-place minimum at
    # least 10^-18 below it, so this keeps the reason visible; 16 integer digits hold
    # the deepest loss (a cost of 10^12 zł against a price of 1 gr).
    margin = models.DecimalField(_("margin"), max_digits=36, decimal_places=20)
    minimum_margin = models.DecimalField(_("required minimum"), max_digits=9, decimal_places=4)
    escalated_at = models.DateTimeField(_("came to the board"))
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-escalated_at", "-id"]
        verbose_name = _("board review")
        verbose_name_plural = _("board reviews")
        indexes = [models.Index(fields=["-escalated_at", "-id"], name="eo_review_escalated")]

    def __str__(self) -> str:
        return f"{self.inquiry.number}: {self.get_decision_display()}"
