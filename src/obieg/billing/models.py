"""Invoices (VAT, advance, final), the seller's profile, numbering series, payments, schedules.

An invoice is a legal document: once issued, its seller and buyer data, lines
and totals are snapshots that later edits of the account or the profile never
change. Totals per VAT rate are stored (`InvoiceRateTotal`) because on an
advance or final invoice they are not a sum of the lines (art. 106f).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from obieg.billing import dates
from obieg.core import clock
from obieg.core.access import AccessPaths
from obieg.core.fields import NipField
from obieg.core.identifiers import validate_postal_code
from obieg.core.money import MoneyField, VatRate
from obieg.crm.models import Account, Timestamped
from obieg.sales.models import Contract

from .numbering import validate_pattern


class InvoiceKind(models.TextChoices):
    # The values are FA(3) RodzajFaktury codes.
    VAT = "VAT", _("VAT invoice")
    ADVANCE = "ZAL", _("advance invoice")
    FINAL = "ROZ", _("final settlement invoice")


class PaymentMethod(models.TextChoices):
    # The values are FA(3) FormaPlatnosci codes.
    CASH = "1", _("cash")
    CARD = "2", _("card")
    VOUCHER = "3", _("voucher")
    CHEQUE = "4", _("cheque")
    CREDIT = "5", _("credit")
    TRANSFER = "6", _("bank transfer")
    MOBILE = "7", _("mobile payment")


class CompanyProfile(models.Model):
    """The seller: the company that issues invoices (one row)."""

    name = models.CharField(_("name"), max_length=300)
    nip = NipField(_("NIP"), blank=False)
    regon = models.CharField(_("REGON"), max_length=14, blank=True)
    krs = models.CharField(_("KRS"), max_length=10, blank=True)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(
        _("postal code"), max_length=6, validators=[validate_postal_code]
    )
    city = models.CharField(_("city"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    bank_account = models.CharField(
        _("bank account (IBAN)"), max_length=34, help_text=_("Validated as an IBAN.")
    )
    bank_name = models.CharField(_("bank name"), max_length=100, blank=True)
    place_of_issue = models.CharField(_("place of issue"), max_length=100, blank=True)
    payment_days = models.PositiveIntegerField(_("default payment term (days)"), default=14)
    vat_exemption_basis = models.CharField(
        _("legal basis of VAT exemption"),
        max_length=256,
        blank=True,
        help_text=_("Printed on invoices with exempt (zw) lines, e.g. art. 43 ust. 1 pkt 37."),
    )

    class Meta:
        verbose_name = _("company profile")
        verbose_name_plural = _("company profile")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from obieg.billing.identifiers import clean_iban

        if self.bank_account:
            self.bank_account = clean_iban(self.bank_account)


class InvoiceSeries(models.Model):
    """A numbering series: a pattern such as FV/{yyyy}/{mm}/{seq:04} and when it restarts."""

    class Reset(models.TextChoices):
        YEARLY = "yearly", _("every year")
        MONTHLY = "monthly", _("every month")
        NEVER = "never", _("never")

    kind = models.CharField(_("invoice kind"), max_length=3, choices=InvoiceKind.choices)
    name = models.CharField(_("name"), max_length=100)
    pattern = models.CharField(_("pattern"), max_length=60, unique=True)
    reset = models.CharField(
        _("numbering restarts"), max_length=10, choices=Reset.choices, default=Reset.MONTHLY
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("invoice series")
        verbose_name_plural = _("invoice series")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(active=True), name="one_active_series_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.pattern})"

    def clean(self):
        problem = validate_pattern(self.pattern, self.reset)
        if problem:
            raise ValidationError({"pattern": problem})


class SeriesCounter(models.Model):
    """The last number given in a series and period; locked by every issue (gap-free)."""

    series = models.ForeignKey(InvoiceSeries, on_delete=models.PROTECT, related_name="counters")
    period = models.CharField(max_length=7)  # "2026-03", "2026" or "" (never resets)
    last_number = models.PositiveIntegerField(default=0)
    last_issue_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "period"], name="series_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.series_id}:{self.period}={self.last_number}"


class Invoice(Timestamped):
    class Status(models.TextChoices):
        ISSUED = "issued", _("issued")
        PARTLY_PAID = "partly_paid", _("partly paid")
        PAID = "paid", _("paid")

    number = models.CharField(_("number"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=3, choices=InvoiceKind.choices)
    series = models.ForeignKey(InvoiceSeries, on_delete=models.PROTECT, related_name="invoices")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ISSUED
    )
    contract = models.ForeignKey(
        Contract,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("contract"),
    )
    buyer = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("buyer")
    )
    issue_date = models.DateField(_("issue date"))
    sale_date = models.DateField(_("sale date"), null=True, blank=True)
    received_on = models.DateField(
        _("payment received on"),
        null=True,
        blank=True,
        help_text=_("For an advance invoice documenting a payment already received."),
    )
    due_date = models.DateField(_("due date"))
    payment_method = models.CharField(
        _("payment method"),
        max_length=1,
        choices=PaymentMethod.choices,
        default=PaymentMethod.TRANSFER,
    )
    split_payment = models.BooleanField(_("split payment (MPP)"), default=False)
    prices_gross = models.BooleanField(_("prices are gross"), default=False)
    currency = models.CharField(_("currency"), max_length=3, default="PLN")
    place_of_issue = models.CharField(_("place of issue"), max_length=100, blank=True)
    # Seller and buyer as they were at issue.
    seller_name = models.CharField(_("seller"), max_length=300)
    seller_nip = models.CharField(_("seller NIP"), max_length=10)
    seller_street = models.CharField(max_length=200)
    seller_postal_code = models.CharField(max_length=6)
    seller_city = models.CharField(max_length=100)
    seller_email = models.CharField(max_length=254, blank=True)
    seller_phone = models.CharField(max_length=16, blank=True)
    seller_bank_account = models.CharField(_("bank account"), max_length=34)
    seller_bank_name = models.CharField(max_length=100, blank=True)
    seller_regon = models.CharField(max_length=14, blank=True)
    seller_krs = models.CharField(max_length=10, blank=True)
    buyer_kind = models.CharField(max_length=10, choices=Account.Kind.choices)
    buyer_name = models.CharField(_("buyer name"), max_length=300)
    buyer_nip = models.CharField(_("buyer NIP"), max_length=10, blank=True)
    buyer_street = models.CharField(max_length=200, blank=True)
    buyer_postal_code = models.CharField(max_length=6, blank=True)
    buyer_city = models.CharField(max_length=100, blank=True)
    buyer_email = models.CharField(max_length=254, blank=True)
    # The invoice's own amounts: the advance on ZAL, what remains on ROZ (P_15 = gross).
    net = MoneyField(_("net"))
    vat = MoneyField(_("VAT"))
    gross = MoneyField(_("gross"))
    # ZAL and ROZ: the whole order (contract) value with VAT.
    order_gross = MoneyField(_("order value (gross)"), null=True, blank=True)
    paid = MoneyField(_("paid"), default=0)
    exemption_basis = models.CharField(
        _("legal basis of VAT exemption"), max_length=256, blank=True
    )
    # ROZ: every advance it settles; the last ZAL of a fully prepaid order: the earlier ones.
    advances = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="settled_by"
    )
    ksef_number = models.CharField(_("KSeF number"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )

    access = AccessPaths(
        owner="buyer__owner", department="contract__opportunity__department", finance=True
    )

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        indexes = [
            models.Index(fields=["-issue_date", "-id"]),
            models.Index(fields=["buyer", "-issue_date", "-id"]),
            models.Index(fields=["kind", "-issue_date", "-id"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["contract", "kind"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def outstanding(self) -> Decimal:
        return self.gross - self.paid

    @property
    def is_overdue(self) -> bool:
        return self.status != self.Status.PAID and self.due_date < clock.today()

    @property
    def display_status(self) -> str:
        return str(_("overdue")) if self.is_overdue else self.get_status_display()

    @property
    def date_warnings(self) -> list[str]:
        """Dates a person should check: issued on a holiday, a chosen deadline on a day off."""
        # A deadline equal to the issue date is "paid at issue", not a term to flag.
        due = self.due_date if self.due_date != self.issue_date else None
        return dates.date_warnings(issue_date=self.issue_date, due_date=due)


class InvoiceLine(models.Model):
    """A line: on VAT and ROZ invoices the sale (FaWiersz), on ZAL the order (ZamowienieWiersz)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("position"))
    description = models.CharField(_("description"), max_length=512)
    unit = models.CharField(_("unit"), max_length=20, default="szt.")
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    # Net, or gross when the invoice's prices are gross (art. 106e ust. 7).
    unit_price = MoneyField(_("unit price"), validators=[MinValueValidator(0)])
    value = MoneyField(_("value"))
    vat_rate = models.CharField(_("VAT rate"), max_length=3, choices=VatRate.choices)
    annex_15 = models.BooleanField(_("goods or services of annex 15"), default=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")

    def __str__(self) -> str:
        return self.description


class InvoiceRateTotal(models.Model):
    """Net and VAT of one rate on one invoice (P_13_x / P_14_x)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="rate_totals")
    vat_rate = models.CharField(max_length=3, choices=VatRate.choices)
    net = MoneyField()
    vat = MoneyField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "vat_rate"], name="invoice_rate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.vat_rate}: {self.net} + {self.vat}"

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = MoneyField(_("amount"), validators=[MinValueValidator(Decimal("0.01"))])
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(
        _("method"), max_length=1, choices=PaymentMethod.choices, default=PaymentMethod.TRANSFER
    )
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    access = AccessPaths(
        owner="invoice__buyer__owner",
        department="invoice__contract__opportunity__department",
        finance=True,
    )

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.invoice} {self.amount}"


class ScheduleItem(Timestamped):
    """One planned payment of a contract; the invoice it produced, once issued."""

    class Kind(models.TextChoices):
        ADVANCE = "advance", _("advance")
        INSTALMENT = "instalment", _("instalment")
        FINAL = "final", _("final payment")

    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        related_name="schedule_items",
        verbose_name=_("contract"),
    )
    due_date = models.DateField(_("due date"))
    amount = MoneyField(_("amount (gross)"), validators=[MinValueValidator(Decimal("0.01"))])
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    invoice = models.OneToOneField(
        Invoice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="schedule_item",
        verbose_name=_("invoice"),
    )
    # Why automatic issuing refused this item (e.g. the buyer has no NIP); cleared on success.
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    access = AccessPaths(
        owner="contract__account__owner",
        department="contract__opportunity__department",
        finance=True,
    )

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("payment schedule item")
        verbose_name_plural = _("payment schedule items")
        indexes = [
            models.Index(
                fields=["due_date", "id"],
                condition=models.Q(invoice__isnull=True),
                name="schedule_item_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.due_date} {self.amount}"
