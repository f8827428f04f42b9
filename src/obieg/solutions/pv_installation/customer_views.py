"""The customer's page behind a signed, expiring link: read, accept, or ask for changes."""

from __future__ import annotations

from decimal import Decimal

from django.core import signing
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from obieg.billing import amounts
from obieg.billing.identifiers import format_iban
from obieg.billing.models import CompanyProfile
from obieg.core.customer_links import keep_private
from obieg.core.errors import ApplicationError
from obieg.documents.models import Document
from obieg.solutions.pv_installation import links, selectors, services
from obieg.solutions.pv_installation.models import PVProject


def _target(token: str) -> tuple[links.LinkTarget, PVProject]:
    try:
        target = links.read_token(token)
        return target, PVProject.objects.select_related("account", "offer", "contract").get(
            pk=target.project_id
        )
    except (signing.BadSignature, ValueError, PVProject.DoesNotExist) as error:
        raise Http404 from error


def _document(project: PVProject, kind: str) -> Document | None:
    return project.offer_document if kind == "offer" else project.contract_document


def _figures(project: PVProject, kind: str) -> dict:
    """What the customer weighs: the offer's estimate, or the contract's advance and account."""
    if kind == "offer":
        return {"estimate": selectors.offer_estimate(project)}
    gross = project.contract.value_gross if project.contract else Decimal(0)
    seller = CompanyProfile.objects.order_by("id").first()
    return {
        "advance": amounts.percent_of(gross, project.advance_percent),
        "bank_account": format_iban(seller.bank_account) if seller else "",
    }


@require_http_methods(["GET", "POST"])
def customer_page(request, token: str):
    """No log-in: the signature (with its age) is the customer's key; texts in Polish."""
    target, project = _target(token)
    error, done = "", ""
    with translation.override("pl"):
        if request.method == "POST":
            action = request.POST.get("action", "")
            try:
                if target.kind == "offer" and action in ("accept", "changes"):
                    services.customer_answer_offer(
                        project=project,
                        offer_id=target.object_id,
                        accept=action == "accept",
                        comment=request.POST.get("comment", ""),
                    )
                    done = "accepted" if action == "accept" else "changes"
                elif target.kind == "contract" and action in ("accept", "changes"):
                    services.customer_answer_contract(
                        project=project,
                        contract_id=target.object_id,
                        accept=action == "accept",
                        comment=request.POST.get("comment", ""),
                    )
                    done = "accepted" if action == "accept" else "changes"
                else:
                    error = "Nieznana operacja."
            except ApplicationError as failure:
                error = failure.message if hasattr(failure, "message") else str(failure)
            project.refresh_from_db()
        current = project.offer if target.kind == "offer" else project.contract
        waiting = (
            current is not None and current.pk == target.object_id and (current.status == "sent")
        )
        response = render(
            request,
            "pv_installation/customer.html",
            {
                "project": project,
                "kind": target.kind,
                "document": current,
                "waiting": waiting,
                "error": error,
                "done": done,
                "token": token,
                "has_pdf": _document(project, target.kind) is not None,
                **_figures(project, target.kind),
            },
        )
    return keep_private(response)  # the token must not leak to other sites


def customer_pdf(request, token: str):
    target, project = _target(token)
    document = _document(project, target.kind)
    version = document.versions.order_by("-number").first() if document else None
    if version is None:
        raise Http404
    return FileResponse(
        version.file.open("rb"), content_type="application/pdf", filename=f"{target.kind}.pdf"
    )
