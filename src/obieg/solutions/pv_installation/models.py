"""A PV project: one customer's installation, from lead to closed case."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from obieg.core.access import AccessPaths


class PVProject(models.Model):
    """Links the CRM, sales, billing and engine records of one installation."""

    # Its case's participants (designer, installers, accountant …) work on it too.
    access = AccessPaths(owner="owner", participants=True)

    lead = models.ForeignKey(
        "crm.Lead",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lead"),
    )
    account = models.ForeignKey(
        "crm.Account", on_delete=models.PROTECT, related_name="+", verbose_name=_("account")
    )
    opportunity = models.ForeignKey(
        "crm.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opportunity"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="pv_projects",
        verbose_name=_("owner"),
    )
    case = models.ForeignKey(
        "engine.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("case"),
    )
    site_address = models.CharField(_("installation address"), max_length=300, blank=True)
    offer = models.ForeignKey(
        "sales.Offer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    offer_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contract = models.ForeignKey(
        "sales.Contract", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contract_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contract_docx = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    advance_percent = models.DecimalField(
        _("advance (% of gross)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(30),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )
    advance_invoice = models.ForeignKey(
        "billing.Invoice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    final_invoice = models.ForeignKey(
        "billing.Invoice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("PV project")
        verbose_name_plural = _("PV projects")

    def __str__(self) -> str:
        return f"PV {self.pk}: {self.account}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("pv:project", args=[self.pk])

    def case_summary(self) -> list[tuple[str, object]]:
        """Beside the project's tasks: whose it is, where, and what the customer asked for."""
        rows: list[tuple[str, object]] = [
            (capfirst(self._meta.get_field(name).verbose_name), getattr(self, name))
            for name in ("account", "owner", "site_address")
        ]
        if self.lead_id and self.lead.description:
            rows.append((str(_("The customer's request")), self.lead.description))
        return rows

    def case_reading(self, user):
        """What `user` reads of this project's case (engine pages and API): see reading.py."""
        from obieg.solutions.pv_installation.reading import case_reading

        return case_reading(user, self)
