"""The customer's page of an offer, behind its signed link: no log-in, their language.

Reads the offer, downloads its PDF, and accepts (name and consent) or
rejects it (name and reason) through sales.offer_acceptance. A forged link
is not found (404), an old one is gone (410); an answered, superseded or
expired offer says so and offers no buttons.
"""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from obieg.core.client_ip import client_ip
from obieg.core.customer_links import LinkExpired, LinkInvalid, keep_private
from obieg.core.errors import ApplicationError
from obieg.sales import offer_acceptance, offer_documents
from obieg.sales.offer_acceptance import Answer, State
from obieg.web.forms.offer_customer import OfferAcceptForm, OfferRejectForm
from obieg.web.views.common import add_service_error

TEMPLATE = "web/offers/customer.html"


def _dead_link(request, *, expired: bool):
    status = 410 if expired else 404
    return keep_private(render(request, TEMPLATE, {"dead": status}, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def offer_customer(request, token: str):
    try:
        offer = offer_acceptance.offer_for_token(token)
    except LinkExpired:
        return _dead_link(request, expired=True)
    except LinkInvalid:
        return _dead_link(request, expired=False)
    with translation.override(offer_documents.customer_language(offer)):
        response = _page(request, token, offer)
        response["Content-Language"] = translation.get_language()
    return keep_private(response)


def _page(request, token, offer):
    action = request.POST.get("action", "") if request.method == "POST" else ""
    data = request.POST if action else None
    accept_form = OfferAcceptForm(data if action == "accept" else None, prefix="accept")
    reject_form = OfferRejectForm(data if action == "reject" else None, prefix="reject")
    status, done = 200, ""
    if action in ("accept", "reject"):
        form = accept_form if action == "accept" else reject_form
        status = 400
        if form.is_valid():
            answer = Answer(
                accept=action == "accept",
                name=form.cleaned_data["name"],
                reason=form.cleaned_data.get("reason", ""),
            )
            try:
                offer = offer_acceptance.offer_answer(
                    offer=offer, answer=answer, ip=client_ip(request)
                )
            except ApplicationError as error:
                add_service_error(form, error)
                status = 409  # answered, superseded or expired meanwhile: the page says so
                offer = offer_acceptance.offer_for_token(token)
            else:
                status, done = 200, action
    elif request.method == "POST":
        status = 400
    context = {
        "offer": offer,
        "token": token,
        "state": offer_acceptance.state_of(offer),
        "State": State,
        "totals": offer.totals(),
        "accept_form": accept_form,
        "reject_form": reject_form,
        "done": done,
        "has_pdf": offer.pdf_id is not None,
        "seller": offer_documents.seller(),
    }
    return render(request, TEMPLATE, context, status=status)


@never_cache
@require_GET
def offer_customer_pdf(request, token: str):
    """The PDF the revision was sent with."""
    try:
        offer = offer_acceptance.offer_for_token(token)
    except LinkInvalid as error:  # expired too
        raise Http404 from error
    if offer.pdf is None:
        raise Http404
    try:
        handle = offer.pdf.file.open("rb")
    except OSError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=offer_documents.file_name(offer),
        content_type=offer_documents.PDF,
    )
    return keep_private(response)
