"""Invoice pages: the list with filters, one invoice (PDF preview, XML), recording a payment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods

from obieg.billing import ksef, payments, selectors
from obieg.billing.forms import InvoiceFilterForm, PaymentForm
from obieg.billing.invoicing import ensure_can_bill
from obieg.billing.pdf import invoice_pdf
from obieg.core import clock
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.core.pagination import keyset_page
from obieg.web.views.common import add_service_error

PAGE_SIZE = 25


def can_bill(user) -> bool:
    try:
        ensure_can_bill(user)
    except PermissionDenied:
        return False
    return True


def file_name(invoice, extension: str) -> str:
    return f"{invoice.number.replace('/', '_')}.{extension}"


@login_required
@require_GET
def invoice_list(request):
    form = InvoiceFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    invoices = selectors.invoice_search(request.user, **filters)
    sort = request.GET.get("sort", "newest")
    if sort not in selectors.INVOICE_ORDERINGS:
        sort = "newest"
    page = keyset_page(
        invoices,
        ordering=selectors.INVOICE_ORDERINGS[sort],
        cursor=request.GET.get("cursor"),
        size=PAGE_SIZE,
    )
    context = {
        "form": form,
        "page": page,
        "sort": sort,
        "sorts": {
            "newest": _("Newest"),
            "oldest": _("Oldest"),
            "due": _("Due date"),
            "largest": _("Largest"),
        },
        "is_filtered": any(filters.values()),
        "today": clock.today(),
    }
    return render(request, "billing/invoice_list.html", context)


@login_required
@require_GET
def invoice_detail(request, pk):
    invoice = selectors.invoice_detail(request.user, pk)
    context = {
        "invoice": invoice,
        "summary": selectors.invoice_summary(invoice),
        "payments": list(invoice.payments.all()),
        "can_bill": can_bill(request.user),
        "payment_form": PaymentForm(
            initial={"amount": invoice.outstanding, "paid_on": clock.today()}
        ),
    }
    return render(request, "billing/invoice_detail.html", context)


@login_required
@require_GET
@xframe_options_sameorigin  # the invoice page previews the PDF in a frame
def invoice_pdf_view(request, pk):
    invoice = selectors.invoice_detail(request.user, pk)
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{file_name(invoice, "pdf")}"'
    return response


@login_required
@require_GET
def invoice_xml_view(request, pk):
    invoice = selectors.invoice_detail(request.user, pk)
    response = HttpResponse(ksef.invoice_xml(invoice), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{file_name(invoice, "xml")}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def payment_create(request, pk):
    invoice = selectors.invoice_detail(request.user, pk)
    form = PaymentForm(
        request.POST or None,
        initial={"amount": invoice.outstanding, "paid_on": clock.today()},
    )
    status = 200
    if not can_bill(request.user):
        form.add_error(None, _("Only accounting can issue invoices and record payments."))
        status = PermissionDenied.status_code
    elif request.method == "POST" and form.is_valid():
        try:
            payments.payment_record(actor=request.user, invoice=invoice, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Payment recorded."))
            return redirect("billing:invoice_detail", pk=invoice.pk)
    context = {"invoice": invoice, "form": form}
    return render(request, "billing/payment_form.html", context, status=status)
