"""The customer's page behind a signed, expiring link: read, accept, or ask for changes."""

from __future__ import annotations

from django.core import signing
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from obieg.core.errors import ApplicationError
from obieg.documents.models import Document
from obieg.solutions.pv_installation import links, services
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
                elif target.kind == "contract" and action == "accept":
                    services.customer_accept_contract(project=project, contract_id=target.object_id)
                    done = "accepted"
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
            },
        )
    # The token must not leak to other sites; "no-referrer" would also blank the Origin of
    # the page's own form and fail the CSRF check.
    response["Referrer-Policy"] = "same-origin"
    return response


def customer_pdf(request, token: str):
    target, project = _target(token)
    document = _document(project, target.kind)
    version = document.versions.order_by("-number").first() if document else None
    if version is None:
        raise Http404
    return FileResponse(
        version.file.open("rb"), content_type="application/pdf", filename=f"{target.kind}.pdf"
    )
