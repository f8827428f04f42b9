"""A grant project of a business-support institution: contract, grant, claims, durability.

The project links the CRM records (account, opportunity), the cooperation
contract with its payment schedule (sales and billing), its case (engine)
and the grant's own records below. Every dated duty of a project —
an invoice to pay, a payment claim to file, a durability report, an
indicator's measurement — is an `Obligation` row: one indexed table the
deadline scan, the project's timeline, the coordinator's dashboard and the
iCalendar feed all read, however the duty came about.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from obieg.core.access import AccessPaths
from obieg.core.money import MoneyField
from obieg.crm.models import Timestamped

PERCENT = {"max_digits": 5, "decimal_places": 2}
HUNDRED = Decimal(100)


class GrantProject(Timestamped):
    """One client's grant, from the cooperation contract to the end of its durability period."""

    class Status(models.TextChoices):
        CONTRACT = "contract", _("contract in preparation")
        CONTRACT_APPROVAL = "contract_approval", _("contract awaiting approval")
        AWAITING_SIGNATURE = "awaiting_signature", _("contract awaiting signature")
        APPLICATION = "application", _("grant application")
        REALISATION = "realisation", _("realisation and payment claims")
        DURABILITY = "durability", _("durability period")
        CLOSED = "closed", _("closed")
        REJECTED = "rejected", _("grant rejected")

    class DurabilityYears(models.IntegerChoices):
        THREE = 3, _("3 years")
        FIVE = 5, _("5 years")

    number = models.CharField(_("number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    account = models.ForeignKey(
        "crm.Account",
        on_delete=models.PROTECT,
        related_name="grant_projects",
        verbose_name=_("client"),
    )
    opportunity = models.ForeignKey(
        "crm.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opportunity"),
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="grant_projects_advised",
        verbose_name=_("advisor"),
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grant_projects_coordinated",
        verbose_name=_("project coordinator"),
    )
    case = models.ForeignKey(
        "engine.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONTRACT
    )
    contract = models.OneToOneField(
        "sales.Contract",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grant_project",
        verbose_name=_("cooperation contract"),
    )
    contract_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contract_docx = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_scan = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    success_fee_percent = models.DecimalField(
        _("success fee (per cent of the awarded grant)"),
        **PERCENT,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(HUNDRED)],
    )
    durability_years = models.PositiveSmallIntegerField(
        _("durability period"), choices=DurabilityYears.choices, default=DurabilityYears.FIVE
    )
    final_payment_on = models.DateField(_("final payment received on"), null=True, blank=True)
    durability_ends_on = models.DateField(_("durability period ends on"), null=True, blank=True)

    # The advisor who sold it, and whoever works on its case (the coordinator, the manager).
    access = AccessPaths(owner="advisor", participants=True)

    class Meta:
        verbose_name = _("grant project")
        verbose_name_plural = _("grant projects")
        indexes = [
            models.Index(fields=["status", "-created_at", "-id"]),
            models.Index(fields=["coordinator", "status"]),
            models.Index(fields=["account", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("grants:project", args=[self.pk])

    def case_summary(self) -> list[tuple[str, object]]:
        """Beside the project's tasks: whose it is and who coordinates it."""
        return [
            (str(_("client")).capitalize(), self.account),
            (str(_("advisor")).capitalize(), self.advisor),
            (str(_("project coordinator")).capitalize(), self.coordinator or "—"),
        ]


class GrantApplication(Timestamped):
    """The client's application for a grant (wniosek o dofinansowanie) and what became of it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        UNDER_EVALUATION = "under_evaluation", _("under evaluation")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        AGREEMENT_SIGNED = "agreement_signed", _("grant agreement signed")
        SETTLED = "settled", _("settled")

    project = models.OneToOneField(
        GrantProject, on_delete=models.CASCADE, related_name="application"
    )
    programme = models.CharField(_("programme"), max_length=200)
    call = models.CharField(_("call for proposals (nabór)"), max_length=200)
    application_number = models.CharField(_("application number"), max_length=60, blank=True)
    requested_amount = MoneyField(
        _("requested grant (PLN)"), validators=[MinValueValidator(Decimal("0.01"))]
    )
    awarded_amount = MoneyField(
        _("awarded grant (PLN)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    co_financing_rate = models.DecimalField(
        _("co-financing rate (%)"),
        **PERCENT,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(HUNDRED)],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    agreement_signed_on = models.DateField(_("grant agreement signed on"), null=True, blank=True)
    grant_received_on = models.DateField(_("grant received on"), null=True, blank=True)
    # The eligibility period: expenses outside it cannot be claimed.
    realisation_starts_on = models.DateField(_("realisation starts on"), null=True, blank=True)
    realisation_ends_on = models.DateField(_("realisation ends on"), null=True, blank=True)

    access = AccessPaths(owner="project__advisor")

    class Meta:
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(awarded_amount__isnull=True)
                | Q(awarded_amount__lte=models.F("requested_amount")),
                name="grant_awarded_within_requested",
            )
        ]

    def __str__(self) -> str:
        return self.application_number or f"{self.programme} / {self.call}"


class PaymentClaim(Timestamped):
    """A payment claim (wniosek o płatność) of the client to the grantor, for one period."""

    class Kind(models.TextChoices):
        ADVANCE = "advance", _("advance")
        INTERIM = "interim", _("interim")
        FINAL = "final", _("final")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        SUBMITTED = "submitted", _("submitted")
        SETTLED = "settled", _("settled")

    project = models.ForeignKey(GrantProject, on_delete=models.CASCADE, related_name="claims")
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period to"))
    due_date = models.DateField(_("deadline"))
    # An advance claim asks for money ahead of expenses; the others are computed from them.
    advance_requested = MoneyField(
        _("advance requested (PLN)"), default=0, validators=[MinValueValidator(0)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    docx = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    access = AccessPaths(owner="project__advisor")

    class Meta:
        ordering = ["project", "number"]
        verbose_name = _("payment claim")
        verbose_name_plural = _("payment claims")
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="claim_number_per_project"),
            models.CheckConstraint(
                condition=Q(period_to__gte=models.F("period_from")), name="claim_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.number} WoP {self.number}"


class EligibleExpense(models.Model):
    """One expense (an invoice the client paid) put into a payment claim."""

    claim = models.ForeignKey(PaymentClaim, on_delete=models.CASCADE, related_name="expenses")
    document_number = models.CharField(_("document number"), max_length=100)
    supplier = models.CharField(_("supplier"), max_length=200)
    description = models.CharField(_("description"), max_length=300)
    category = models.CharField(_("category"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"))
    paid_on = models.DateField(_("paid on"))
    net = MoneyField(_("net"), validators=[MinValueValidator(0)])
    gross = MoneyField(_("gross"), validators=[MinValueValidator(0)])
    eligible = MoneyField(_("eligible amount"), validators=[MinValueValidator(0)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "paid_on", "id"]
        verbose_name = _("eligible expense")
        verbose_name_plural = _("eligible expenses")
        constraints = [
            models.CheckConstraint(
                condition=Q(eligible__lte=models.F("gross")), name="expense_eligible_within_gross"
            ),
            models.CheckConstraint(
                condition=Q(net__lte=models.F("gross")), name="expense_net_within_gross"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_number} {self.supplier}"


class Indicator(models.Model):
    """An indicator (wskaźnik) the grantor requires: baseline, target and its measurements."""

    class Kind(models.TextChoices):
        PRODUCT = "product", _("product indicator")
        RESULT = "result", _("result indicator")

    project = models.ForeignKey(GrantProject, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=30)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, default=0)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    # Most indicators should rise to their target (jobs created); some should fall (CO₂).
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    # The last measured value, kept here so lists flag indicators below target without a join.
    latest_value = models.DecimalField(
        _("latest value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    below_target = models.BooleanField(_("below target"), default=False)

    class Meta:
        ordering = ["project", "kind", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        indexes = [
            models.Index(
                fields=["project"], condition=Q(below_target=True), name="indicator_below_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    def falls_short(self, value: Decimal) -> bool:
        """Whether `value` misses the target (compared exactly, never rounded)."""
        return value < self.target if self.higher_is_better else value > self.target


class Measurement(models.Model):
    """An indicator's value due on a date of the durability period, once someone enters it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    due_date = models.DateField(_("deadline"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    measured_on = models.DateField(_("measured on"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_by_client = models.BooleanField(_("entered by the client"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["indicator", "due_date"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self) -> str:
        return f"{self.indicator} {self.due_date}"


class DurabilityReport(models.Model):
    """A report to the grantor due during the durability period (e.g. yearly)."""

    class Status(models.TextChoices):
        DUE = "due", _("due")
        SUBMITTED = "submitted", _("submitted")

    project = models.ForeignKey(
        GrantProject, on_delete=models.CASCADE, related_name="durability_reports"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period to"))
    due_date = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="due")
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["project", "number"]
        verbose_name = _("durability report")
        verbose_name_plural = _("durability reports")
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="report_number_per_project")
        ]

    def __str__(self) -> str:
        return f"{self.project.number} R{self.number}"


class Obligation(models.Model):
    """One dated duty of a project, with its reminder and escalation moments.

    Exactly one of the source links is set, by kind. `remind_on` and
    `escalate_on` are computed once from the deadline policy (Polish business
    days) when the duty is planned or its due date moves, so the daily scan is
    two indexed range reads; `reminded_at` / `escalated_at` are set by a
    conditional UPDATE, so each reminder goes out once whoever runs the scan.
    """

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("invoice payment")
        CLAIM = "claim", _("payment claim")
        REPORT = "report", _("durability report")
        MEASUREMENT = "measurement", _("indicator measurement")

    class State(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    project = models.ForeignKey(GrantProject, on_delete=models.CASCADE, related_name="obligations")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="open")
    done_on = models.DateField(_("done on"), null=True, blank=True)
    remind_on = models.DateField(_("remind on"))
    escalate_on = models.DateField(_("escalate on"))
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    schedule_item = models.OneToOneField(
        "billing.ScheduleItem",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="grant_obligation",
    )
    # When the scheduler's invoice was mailed to the client (once: a conditional UPDATE).
    invoice_mailed_at = models.DateTimeField(_("invoice mailed"), null=True, blank=True)
    claim = models.OneToOneField(
        PaymentClaim, null=True, blank=True, on_delete=models.CASCADE, related_name="obligation"
    )
    report = models.OneToOneField(
        DurabilityReport,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="obligation",
    )
    measurement = models.OneToOneField(
        Measurement, null=True, blank=True, on_delete=models.CASCADE, related_name="obligation"
    )

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        indexes = [
            models.Index(fields=["project", "due_date", "id"]),
            models.Index(
                fields=["due_date", "id"], condition=Q(state="open"), name="obligation_open_due"
            ),
            models.Index(
                fields=["remind_on"],
                condition=Q(state="open", reminded_at__isnull=True),
                name="obligation_to_remind",
            ),
            models.Index(
                fields=["escalate_on"],
                condition=Q(state="open", escalated_at__isnull=True),
                name="obligation_to_escalate",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="payment", schedule_item__isnull=False)
                    | Q(kind="claim", claim__isnull=False)
                    | Q(kind="report", report__isnull=False)
                    | Q(kind="measurement", measurement__isnull=False)
                ),
                name="obligation_has_its_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_date})"
