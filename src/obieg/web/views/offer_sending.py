"""The offer's PDF and "Send to customer": thin pages over sales.offer_documents / offer_sending."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from obieg.core import access
from obieg.core.errors import ApplicationError, Conflict, PermissionDenied
from obieg.sales import offer_documents, offer_sending, selectors
from obieg.sales.models import Offer
from obieg.web.forms.offer_sending import OfferSendForm
from obieg.web.views.common import add_service_error, conflict_message, refuse_unless_can_change


def _download(version):
    return redirect("document_version_download", pk=version.document_id, number=version.number)


@login_required
@require_POST
def offer_pdf(request, pk):
    """The revision's PDF: drawn (a new version of the offer's document) unless it is current."""
    offer = access.get_visible_or_404(Offer.objects.select_related("account"), request.user, pk=pk)
    try:
        version = offer_documents.offer_pdf(actor=request.user, offer=offer)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("offer_detail", pk=pk)
    return _download(version)


@login_required
@require_http_methods(["GET", "POST"])
def offer_send(request, pk):
    user = request.user
    offer = selectors.offer_with_lines(user, pk)
    if refusal := refuse_unless_can_change(request, offer):
        return refusal
    recipients = offer_sending.recipients(offer)
    form = OfferSendForm(
        request.POST or None,
        recipients=recipients,
        initial={
            "to": offer.sent_to or (recipients[0].email if recipients else ""),
            "message": offer_sending.default_message(offer),
            "revision": offer.revision,
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                offer_sending.offer_send(
                    actor=user,
                    offer=offer,
                    to=form.cleaned_data["to"],
                    message=form.cleaned_data["message"],
                    revision=form.cleaned_data["revision"],
                )
            except Conflict:
                form.add_error(None, conflict_message())
                status = Conflict.status_code
            except ApplicationError as error:
                add_service_error(form, error)
                status = error.status_code if isinstance(error, PermissionDenied) else 400
            else:
                messages.success(
                    request,
                    _("The offer is on its way to %(to)s (see the outbox).")
                    % {"to": form.cleaned_data["to"]},
                )
                return redirect("offer_detail", pk=pk)
    context = {
        "offer": offer,
        "form": form,
        "recipients": recipients,
        "subject": offer_sending.subject(offer),
        "preview": offer_sending.body(
            offer,
            form["message"].value() or "",
            _("[the link to the customer's page, made when you send]"),
            user,
        ),
        "language": offer_documents.customer_language(offer),
        "refusal": _refusal(offer),
    }
    return render(request, "web/offers/send.html", context, status=status)


def _refusal(offer: Offer) -> str:
    """Why this offer cannot be sent at all (the form is then not shown)."""
    if offer.status not in offer_sending.SENDABLE:
        return _("Only a draft or a sent offer can be sent to the customer.")
    if offer_sending.carried_by_process(offer):
        return _("This offer is sent by its process; answer it on the case.")
    return ""
