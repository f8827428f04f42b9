"""Documents: the filtered list, upload, versions and the access-checked download (SPEC P4)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from obieg.core import access
from obieg.core.audit import history_for
from obieg.crm.selectors.accounts import account_get
from obieg.documents import selectors, services
from obieg.web.forms.documents import DocumentFilterForm, DocumentUploadForm, DocumentVersionForm
from obieg.web.views.common import refuse_unless_can_change, submit_posted


@login_required
@require_GET
def document_list(request):
    form = DocumentFilterForm(request.GET)
    form.is_valid()  # an invalid filter is left out of cleaned_data and so ignored
    kind = form.cleaned_data.get("kind") or ""
    account_pk = form.cleaned_data.get("account")
    account = account_get(request.user, account_pk) if account_pk else None
    page = selectors.document_page(
        request.user, kind=kind, account=account, cursor=request.GET.get("cursor")
    )
    return render(
        request,
        "web/documents/list.html",
        {"form": form, "page": page, "account": account, "kind": kind},
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request, pk):
    """Upload a file as a new document of account `pk`."""
    account = account_get(request.user, pk)
    if refusal := refuse_unless_can_change(request, account):
        return refusal
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    document, status = submit_posted(
        request,
        form,
        lambda data, _revision: services.document_upload(
            actor=request.user, account=account, **data
        ),
    )
    if document:
        messages.success(request, _("Document %(title)s uploaded.") % {"title": document})
        return redirect("document_detail", pk=document.pk)
    return render(
        request, "web/documents/upload.html", {"form": form, "account": account}, status=status
    )


def _render_detail(request, document, version_form, *, status=200):
    return render(
        request,
        "web/documents/detail.html",
        {
            "document": document,
            "versions": selectors.document_versions(document),
            "can_change": access.can_change(request.user, document),
            "version_form": version_form,
            "history": history_for(document),
        },
        status=status,
    )


@login_required
@require_GET
def document_detail(request, pk):
    document = selectors.document_get(request.user, pk)
    return _render_detail(request, document, DocumentVersionForm())


@login_required
@require_POST
def document_version_upload(request, pk):
    """Add the next version of document `pk`; earlier versions stay downloadable."""
    document = selectors.document_get(request.user, pk)
    if refusal := refuse_unless_can_change(request, document):
        return refusal
    form = DocumentVersionForm(request.POST, request.FILES)
    version, status = submit_posted(
        request,
        form,
        lambda data, _revision: services.document_add_version(
            actor=request.user, document=document, **data
        ),
    )
    if version:
        messages.success(request, _("Version %(number)s uploaded.") % {"number": version.number})
        return redirect("document_detail", pk=document.pk)
    return _render_detail(request, document, form, status=status)


@never_cache
@login_required
@require_GET
def document_version_download(request, pk, number):
    """The file of one version, only to those who may see the document."""
    version = selectors.document_version_get(request.user, pk, number)
    try:
        handle = version.file.open("rb")
    except OSError as error:  # the row outlived its file (restored backup, moved storage)
        raise Http404 from error
    # Always an attachment: an uploaded HTML or SVG file must never run in our origin.
    return FileResponse(
        handle,
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )
