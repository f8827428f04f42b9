"""Billing a contract: its order, invoices and schedule; issuing advance and final invoices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from obieg.billing import advances, dates, schedules, selectors
from obieg.billing.forms import AdvanceForm, FinalForm, ScheduleItemForm
from obieg.billing.models import ScheduleItem
from obieg.billing.views import can_bill
from obieg.core import access, clock
from obieg.core.errors import ApplicationError
from obieg.sales.models import Contract
from obieg.web.views.common import add_service_error


def _contract(request, pk) -> Contract:
    return access.get_visible_or_404(
        Contract.objects.select_related("account", "offer"), request.user, pk=pk
    )


def _page(request, contract, status=200, **forms_by_name):
    try:
        billing = advances.contract_billing(contract)
        order_error = ""
    except ApplicationError as error:
        billing, order_error = None, error.message
    context = {
        "contract": contract,
        "billing": billing,
        "order_error": order_error,
        "invoices": selectors.contract_invoices(contract),
        "schedule": selectors.contract_schedule(contract),
        "can_bill": can_bill(request.user),
        "advance_form": AdvanceForm(),
        "final_form": FinalForm(),
        "schedule_form": ScheduleItemForm(initial={"due_date": clock.today()}),
        # Issuing takes today's date: say so before a person issues on a holiday.
        "issue_warnings": dates.date_warnings(issue_date=clock.today()),
        **forms_by_name,
    }
    return render(request, "billing/contract_billing.html", context, status=status)


@login_required
@require_GET
def contract_billing(request, pk):
    return _page(request, _contract(request, pk))


def _run(request, contract, form, name: str, write, success: str):
    """Validate `form`, call `write(cleaned_data)`; back to the page, or the form with errors."""
    if form.is_valid():
        try:
            result = write(form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
            return _page(request, contract, status=error.status_code, **{name: form})
        messages.success(request, success % {"number": getattr(result, "number", "")})
        # Allowed, yet worth a second look (an invoice issued on 24 December …).
        for warning in getattr(result, "date_warnings", ()):
            messages.warning(request, warning)
        return redirect("billing:contract_billing", pk=contract.pk)
    return _page(request, contract, status=400, **{name: form})


@login_required
@require_POST
def advance_create(request, pk):
    contract = _contract(request, pk)
    return _run(
        request,
        contract,
        AdvanceForm(request.POST),
        "advance_form",
        lambda data: advances.advance_invoice_issue(actor=request.user, contract=contract, **data),
        _("Advance invoice %(number)s issued."),
    )


@login_required
@require_POST
def final_create(request, pk):
    contract = _contract(request, pk)
    return _run(
        request,
        contract,
        FinalForm(request.POST),
        "final_form",
        lambda data: advances.final_invoice_issue(actor=request.user, contract=contract, **data),
        _("Invoice %(number)s issued."),
    )


@login_required
@require_POST
def schedule_item_create(request, pk):
    contract = _contract(request, pk)
    return _run(
        request,
        contract,
        ScheduleItemForm(request.POST),
        "schedule_form",
        lambda data: schedules.schedule_item_add(actor=request.user, contract=contract, **data),
        _("Payment added to the schedule."),
    )


@login_required
@require_POST
def schedule_item_delete(request, pk, item_pk):
    contract = _contract(request, pk)
    item = ScheduleItem.objects.filter(contract=contract, pk=item_pk).first()
    if item is None:
        messages.error(request, _("This payment is no longer on the schedule."))
    else:
        try:
            schedules.schedule_item_remove(actor=request.user, item=item)
            messages.success(request, _("Payment removed from the schedule."))
        except ApplicationError as error:
            messages.error(request, error.message)
    return redirect("billing:contract_billing", pk=contract.pk)


@login_required
@require_POST
def issue_due(request):
    """Issue now every invoice the schedules call for (the worker does it daily too)."""
    try:
        report = schedules.issue_due_invoices(actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("billing:invoice_list")
    count = len(report.issued)
    messages.success(
        request,
        ngettext(
            "%(count)s invoice issued from payment schedules.",
            "%(count)s invoices issued from payment schedules.",
            count,
        )
        % {"count": count},
    )
    for item, message in report.refused:
        messages.warning(request, f"{item.contract}: {message}")
    return redirect("billing:invoice_list")
