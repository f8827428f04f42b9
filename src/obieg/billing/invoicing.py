"""Issuing an invoice: checks, seller and buyer snapshots, the number, lines and totals.

Every kind (VAT, ZAL, ROZ) goes through `issue()`, which checks everything
first and takes the number last, inside the caller's transaction: a refused
or failed issue rolls back with its number, so none is ever lost, and the
series' counter row is locked only for the last moments before the commit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from obieg.billing import dates
from obieg.billing.identifiers import ksef_accepts_nip
from obieg.billing.models import (
    CompanyProfile,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceRateTotal,
    InvoiceSeries,
    PaymentMethod,
)
from obieg.billing.numbering import take_number
from obieg.core import access, audit, clock, roles
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.core.money import ZERO, RateTotal, VatRate, document_totals, fits_money_field, to_grosz
from obieg.crm.models import Account
from obieg.sales.models import Contract

DEFAULT_PATTERNS: dict[str, tuple[str, str]] = {
    InvoiceKind.VAT: ("Faktury VAT", "FV/{yyyy}/{mm}/{seq:04}"),
    InvoiceKind.ADVANCE: ("Faktury zaliczkowe", "FZ/{yyyy}/{mm}/{seq:04}"),
    InvoiceKind.FINAL: ("Faktury rozliczeniowe", "FR/{yyyy}/{mm}/{seq:04}"),
}
# Art. 108a ust. 1a: split payment is mandatory above this gross amount (annex 15 goods).
SPLIT_PAYMENT_THRESHOLD = Decimal("15000.00")


def refuse(message: str, field: str = "__all__") -> ApplicationError:
    return ApplicationError(message, field_errors={field: [message]})


class _Scheduler:
    """The actor of invoices issued automatically from payment schedules (no user)."""

    pk = None
    is_authenticated = True

    def __str__(self) -> str:
        return "scheduler"


SCHEDULER = _Scheduler()


def ensure_can_bill(actor) -> None:
    """Issuing invoices and recording payments is the accountants' (and admins') work."""
    if actor is SCHEDULER:
        return
    if not getattr(actor, "is_authenticated", False) or not (
        access.is_admin(actor) or actor.has_role(roles.ACCOUNTANT)
    ):
        raise PermissionDenied(_("Only accounting can issue invoices and record payments."))


def company_profile() -> CompanyProfile:
    profile = CompanyProfile.objects.order_by("id").first()
    if profile is None:
        raise refuse(_("Set up the company profile (the seller) before issuing invoices."))
    return profile


def active_series(kind: str) -> InvoiceSeries:
    """The active series of `kind`, created with the usual Polish pattern the first time."""
    name, pattern = DEFAULT_PATTERNS[kind]
    series = InvoiceSeries.objects.filter(kind=kind, active=True).first()
    if series is None:
        InvoiceSeries.objects.bulk_create(
            [InvoiceSeries(kind=kind, name=name, pattern=pattern)], ignore_conflicts=True
        )
        series = InvoiceSeries.objects.get(kind=kind, active=True)
    return series


@dataclass
class LineDraft:
    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: str
    unit: str = "szt."
    annex_15: bool = False

    @property
    def value(self) -> Decimal:
        return to_grosz(self.quantity * self.unit_price)


@dataclass
class Draft:
    """Everything an invoice needs before it gets its number."""

    kind: str
    buyer: Account
    lines: list[LineDraft]
    rate_totals: tuple[RateTotal, ...]
    issue_date: date
    due_date: date
    contract: Contract | None = None
    sale_date: date | None = None
    received_on: date | None = None
    payment_method: str = PaymentMethod.TRANSFER
    prices_gross: bool = False
    order_gross: Decimal | None = None
    advances: list[Invoice] = field(default_factory=list)
    notes: str = ""


def line_drafts(lines: list[dict[str, Any]]) -> list[LineDraft]:
    """Lines from plain data (forms, API), each checked; the first problem is refused."""
    if not lines:
        raise refuse(_("An invoice needs at least one line."), "lines")
    drafts = []
    for number, data in enumerate(lines, start=1):
        rate = str(data.get("vat_rate", ""))
        if rate not in VatRate.values:
            raise refuse(
                _("Line %(n)s: VAT rate %(rate)s is not allowed; use 23, 8, 5, 0 or zw.")
                % {"n": number, "rate": rate or "—"},
                "lines",
            )
        try:
            quantity = Decimal(str(data.get("quantity", "1")))
            unit_price = Decimal(str(data.get("unit_price")))
        except (ArithmeticError, ValueError, TypeError) as error:
            raise refuse(
                _("Line %(n)s: quantity and price must be numbers.") % {"n": number}, "lines"
            ) from error
        description = str(data.get("description", "")).strip()
        if not description or quantity <= 0 or unit_price < 0 or not unit_price.is_finite():
            raise refuse(
                _("Line %(n)s needs a description, a positive quantity and a price of 0 or more.")
                % {"n": number},
                "lines",
            )
        drafts.append(
            LineDraft(
                description=description[:512],
                quantity=quantity.quantize(Decimal("0.001")),
                unit_price=to_grosz(unit_price),
                vat_rate=rate,
                unit=str(data.get("unit") or "szt.")[:20],
                annex_15=bool(data.get("annex_15", False)),
            )
        )
    return drafts


def totals_of_lines(lines: list[LineDraft]) -> tuple[RateTotal, ...]:
    return document_totals((line.vat_rate, line.value) for line in lines).per_rate


def due_date_for(issue_date: date, *, due_date: date | None, payment_days: int | None) -> date:
    """The invoice's payment deadline: the date given, else the payment term from the issue.

    A term counted in days that ends on a Saturday, Sunday or public holiday
    ends on the next business day (art. 115 of the Civil Code), so the printed
    date is the one the buyer really has. A date a person chose is kept as
    given; `dates.date_warnings` points it out when it is not a business day.
    """
    if due_date is not None:
        if due_date < issue_date:
            raise refuse(_("The due date cannot be before the issue date."), "due_date")
        return due_date
    if payment_days is None:
        payment_days = company_profile().payment_days
    return dates.next_business_day(issue_date + timedelta(days=payment_days))


def today() -> date:
    return clock.today()


def _check_buyer(buyer: Account) -> None:
    if buyer.kind == Account.Kind.COMPANY:
        if not buyer.nip:
            raise refuse(
                _("%(name)s is a company without a NIP; add its NIP before invoicing it.")
                % {"name": buyer.name},
                "buyer",
            )
        if not ksef_accepts_nip(buyer.nip):
            raise refuse(
                _("The buyer's NIP %(nip)s is not accepted by KSeF.") % {"nip": buyer.nip}, "buyer"
            )


def split_payment_required(draft: Draft) -> bool:
    """MPP: a company buyer, annex 15 goods or services, and more than 15 000 zł gross."""
    if draft.buyer.kind != Account.Kind.COMPANY or not any(line.annex_15 for line in draft.lines):
        return False
    # A final invoice documents the whole sale, so the whole order value counts.
    amount = draft.order_gross if draft.kind == InvoiceKind.FINAL else None
    if amount is None:
        amount = sum((total.gross for total in draft.rate_totals), ZERO)
    return amount > SPLIT_PAYMENT_THRESHOLD


def _check(draft: Draft, profile: CompanyProfile) -> str:
    """Refuse a draft that may not be issued; returns the legal basis of exemption, if any."""
    _check_buyer(draft.buyer)
    if draft.contract is not None and draft.contract.account_id != draft.buyer.pk:
        raise refuse(_("The buyer must be the contract's customer."), "buyer")
    if draft.due_date < draft.issue_date:
        raise refuse(_("The due date cannot be before the issue date."), "due_date")
    if not profile.nip or not ksef_accepts_nip(profile.nip) or not profile.bank_account:
        raise refuse(_("The company profile needs a valid NIP and bank account."))
    gross = sum((total.gross for total in draft.rate_totals), ZERO)
    if gross <= 0 and draft.kind != InvoiceKind.FINAL:
        raise refuse(_("The invoice amount must be above zero."), "amount")
    amounts = [gross, *(line.value for line in draft.lines), draft.order_gross or ZERO]
    if not all(fits_money_field(amount) for amount in amounts):
        raise refuse(_("The amounts are too large."), "amount")
    rates = {total.rate for total in draft.rate_totals} | {line.vat_rate for line in draft.lines}
    if VatRate.ZW in rates and not profile.vat_exemption_basis:
        raise refuse(
            _("Exempt (zw) lines need the legal basis of the exemption in the company profile.")
        )
    return profile.vat_exemption_basis if VatRate.ZW in rates else ""


def _snapshot(draft: Draft, profile: CompanyProfile) -> dict[str, Any]:
    buyer = draft.buyer
    return {
        "place_of_issue": profile.place_of_issue,
        "seller_name": profile.name,
        "seller_nip": profile.nip,
        "seller_street": profile.street,
        "seller_postal_code": profile.postal_code,
        "seller_city": profile.city,
        "seller_email": profile.email,
        "seller_phone": profile.phone,
        "seller_bank_account": profile.bank_account,
        "seller_bank_name": profile.bank_name,
        "seller_regon": profile.regon,
        "seller_krs": profile.krs,
        "buyer_kind": buyer.kind,
        "buyer_name": buyer.name,
        "buyer_nip": buyer.nip if buyer.kind == Account.Kind.COMPANY else "",
        "buyer_street": buyer.street,
        "buyer_postal_code": buyer.postal_code,
        "buyer_city": buyer.city,
        "buyer_email": buyer.email,
    }


def issue(draft: Draft, *, actor) -> Invoice:
    """Number and store `draft` as an issued invoice; must run inside a transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("issue() must run inside the caller's transaction")
    profile = company_profile()
    exemption_basis = _check(draft, profile)
    series = active_series(draft.kind)
    net = sum((total.net for total in draft.rate_totals), ZERO)
    vat = sum((total.vat for total in draft.rate_totals), ZERO)
    invoice = Invoice.objects.create(
        # A stand-in until the number is taken last: the series' counter row stays locked
        # from then to the commit, so the shorter that stretch, the more issuers can work.
        number=f"~{uuid.uuid4().hex}",
        kind=draft.kind,
        series=series,
        contract=draft.contract,
        buyer=draft.buyer,
        issue_date=draft.issue_date,
        sale_date=draft.sale_date,
        received_on=draft.received_on,
        due_date=draft.due_date,
        payment_method=draft.payment_method,
        split_payment=split_payment_required(draft),
        prices_gross=draft.prices_gross,
        net=net,
        vat=vat,
        gross=net + vat,
        order_gross=draft.order_gross,
        exemption_basis=exemption_basis,
        notes=draft.notes,
        created_by=actor if getattr(actor, "pk", None) else None,
        **_snapshot(draft, profile),
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            position=position,
            description=line.description,
            unit=line.unit,
            quantity=line.quantity,
            unit_price=line.unit_price,
            value=line.value,
            vat_rate=line.vat_rate,
            annex_15=line.annex_15,
        )
        for position, line in enumerate(draft.lines, start=1)
    )
    InvoiceRateTotal.objects.bulk_create(
        InvoiceRateTotal(invoice=invoice, vat_rate=total.rate, net=total.net, vat=total.vat)
        for total in draft.rate_totals
    )
    if draft.advances:
        invoice.advances.set(draft.advances)
    invoice.number, _period, _seq = take_number(series, draft.issue_date)
    Invoice.objects.filter(pk=invoice.pk).update(number=invoice.number)
    audit.record_create(invoice, actor=actor)
    return invoice


@transaction.atomic
def invoice_issue(
    *,
    actor,
    buyer: Account,
    lines: list[dict[str, Any]],
    contract: Contract | None = None,
    issue_date: date | None = None,
    sale_date: date | None = None,
    due_date: date | None = None,
    payment_days: int | None = None,
    payment_method: str = PaymentMethod.TRANSFER,
    notes: str = "",
) -> Invoice:
    """Issue a VAT invoice with the given lines to `buyer`."""
    ensure_can_bill(actor)
    if payment_method not in PaymentMethod.values:
        raise refuse(_("Unknown payment method."), "payment_method")
    drafts = line_drafts(lines)
    issue_date = issue_date or today()
    draft = Draft(
        kind=InvoiceKind.VAT,
        buyer=buyer,
        contract=contract,
        lines=drafts,
        rate_totals=totals_of_lines(drafts),
        issue_date=issue_date,
        sale_date=sale_date or issue_date,
        due_date=due_date_for(issue_date, due_date=due_date, payment_days=payment_days),
        payment_method=payment_method,
        notes=notes,
    )
    return issue(draft, actor=actor)
