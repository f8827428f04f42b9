"""The product and service catalogue: what a company sells, at what price, unit, VAT and cost.

Offer lines may pick a product; they copy its description, unit, price, cost
and VAT rate at that moment (sales.OfferLine keeps its own values), so a later
price change never alters an offer already made or sent.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from obieg.core.money import MoneyField, VatRate
from obieg.core.text_search import SearchColumns, fold_parts, sort_key_of
from obieg.crm.models import Timestamped

# A code is typed into offer lines and read back from "CODE · name", so it has no spaces.
validate_code = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._/-]*\Z",
    _("Use letters, digits and . _ / - only, without spaces or Polish letters."),
)


class Product(SearchColumns, Timestamped):
    """A product or a service from the price list."""

    class Kind(models.TextChoices):
        PRODUCT = "product", _("product")
        SERVICE = "service", _("service")

    code = models.CharField(
        _("code (SKU)"),
        max_length=40,
        validators=[validate_code],
        help_text=_("Unique, e.g. PV-MOD-450."),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Internal notes; offer lines copy the name."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PRODUCT)
    unit = models.CharField(_("unit"), max_length=20, default="szt.")
    unit_price = MoneyField(_("unit price (net)"), validators=[MinValueValidator(0)])
    unit_cost = MoneyField(_("unit cost"), default=0, validators=[MinValueValidator(0)])
    vat_rate = models.CharField(
        _("VAT rate"), max_length=3, choices=VatRate.choices, default=VatRate.R23
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active items can be added to offers.")
    )
    # Folded "code name" the list searches; Polish sort key of the name (core.text_search).
    search_name = models.CharField(max_length=250, blank=True, default="", editable=False)
    sort_name = models.CharField(max_length=255, blank=True, default="", editable=False)

    search_sources = ("code", "name")

    class Meta:
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        constraints = [
            # "pv-mod-450" and "PV-MOD-450" are one code; UPPER() is what code__iexact
            # compares on PostgreSQL, so the constraint's index serves that look-up too.
            models.UniqueConstraint(
                Upper("code"),
                name="catalogue_product_code_unique",
                violation_error_message=_("An item with this code already exists."),
                violation_error_code="code_taken",
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0) & models.Q(unit_cost__gte=0),
                name="catalogue_product_amounts_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["sort_name", "id"]),
            models.Index(fields=["code", "id"]),
            models.Index(fields=["unit_price", "id"]),
            models.Index(fields=["active", "sort_name", "id"]),
            models.Index(fields=["-updated_at", "-id"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def validate_constraints(self, exclude=None):
        # The code's uniqueness is an expression constraint (any case), which Django
        # reports for the whole record; forms and the API show it beside the code.
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict({})
            general = errors.pop(NON_FIELD_ERRORS, [])
            taken = [e for e in general if getattr(e, "code", None) == "code_taken"]
            if taken:
                errors.setdefault("code", []).extend(taken)
            rest = [e for e in general if e not in taken]
            if rest:
                errors[NON_FIELD_ERRORS] = rest
            raise ValidationError(errors) from error

    def search_columns(self) -> dict[str, str]:
        return {
            "search_name": fold_parts(self.code, self.name, limit=250),
            "sort_name": sort_key_of(self.name, limit=255),
        }
