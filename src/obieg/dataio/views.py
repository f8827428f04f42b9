"""Import pages (upload, preview, result) and the list exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from obieg.core.errors import ApplicationError, Conflict
from obieg.dataio import export as exporting
from obieg.dataio import selectors, services
from obieg.dataio.forms import ImportRunForm, ImportUploadForm
from obieg.dataio.models import ImportBatch
from obieg.dataio.types import RECORD_TYPES
from obieg.dataio.types.base import CREATE, ERROR, UNCHANGED, UPDATE
from obieg.web.views.common import add_service_error, is_htmx, refuse

ROWS_PER_PAGE = 100
SHOWN = {"all": None, "errors": ERROR, "create": CREATE, "update": UPDATE, "unchanged": UNCHANGED}


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    if not services.may_import(request.user):
        return refuse(
            request, _("Your roles allow reading records, not importing them."), status=403
        )
    kinds = services.importable_types(request.user)
    initial = {"record_type": request.GET.get("type") or "accounts"}
    form = ImportUploadForm(request.POST or None, request.FILES or None, initial=initial)
    # Only the types this person may import are offered (the catalogue: its editors).
    form.fields["record_type"].choices = [(kind.key, kind.label) for kind in kinds]
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_preview(
                actor=request.user,
                record_type=form.cleaned_data["record_type"],
                upload=upload,
                size=upload.size,
                file_name=upload.name,
                encoding=form.cleaned_data["encoding"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            return redirect("dataio:batch", pk=batch.pk)
    kind = RECORD_TYPES.get(form["record_type"].value() or "") or RECORD_TYPES["accounts"]
    context = {
        "form": form,
        "kinds": kinds,
        "back_url": reverse(kind.list_url),
        "recent": selectors.recent_batches(request.user),
    }
    return render(request, "dataio/import.html", context)


@login_required
@require_GET
def import_batch(request, pk):
    """The preview of a waiting file, or the result of an imported one."""
    batch = selectors.batch_get(request.user, pk)
    kind = RECORD_TYPES[batch.record_type]
    show = request.GET.get("show") if request.GET.get("show") in SHOWN else "all"
    outcomes = batch.outcomes
    if SHOWN[show]:
        outcomes = [outcome for outcome in outcomes if outcome["action"] == SHOWN[show]]
    page = _page_number(request, len(outcomes))
    start = (page - 1) * ROWS_PER_PAGE
    context = {
        "batch": batch,
        "kind": kind,
        "counts": _counts(batch),
        "show": show,
        "rows": outcomes[start : start + ROWS_PER_PAGE],
        "page": page,
        "pages": max(1, -(-len(outcomes) // ROWS_PER_PAGE)),
        "tabs": _tabs(batch),
        "run_form": ImportRunForm(),
        "list_url": reverse(kind.list_url),
    }
    if batch.status == ImportBatch.Status.IMPORTED:
        return render(request, "dataio/result.html", context)
    if is_htmx(request):
        return render(request, "dataio/_rows.html", context)
    return render(request, "dataio/preview.html", context)


@login_required
@require_POST
def import_run(request, pk):
    batch = selectors.batch_get(request.user, pk)
    form = ImportRunForm(request.POST)
    form.is_valid()
    try:
        batch = services.import_run(
            actor=request.user,
            batch=batch,
            skip_invalid=bool(form.cleaned_data.get("skip_invalid")),
        )
    except services.PreviewOutdated as error:
        services.import_recheck(actor=request.user, batch=batch)
        messages.error(request, error.message)
    except Conflict as error:
        messages.info(request, error.message)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The file has been imported."))
    return redirect("dataio:batch", pk=batch.pk)


@login_required
@require_POST
def import_discard(request, pk):
    batch = selectors.batch_get(request.user, pk)
    kind = RECORD_TYPES[batch.record_type]
    try:
        services.import_discard(actor=request.user, batch=batch)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("dataio:batch", pk=batch.pk)
    messages.info(request, _("The file was not imported."))
    return redirect(kind.list_url)


@login_required
@require_GET
def export(request, kind, file_format):
    """The list as filtered on screen (its query string), every row of it, as a file."""
    record_type = RECORD_TYPES.get(kind)
    if record_type is None or file_format not in ("csv", "xlsx"):
        raise Http404
    if not record_type.may_export(request.user):
        # Before the first byte: a streamed file cannot turn into a refusal halfway.
        return refuse(
            request, str(record_type.export_refusal), status=403, back_url=reverse("home")
        )
    name = exporting.file_name(record_type, file_format)
    if file_format == "xlsx":
        workbook = exporting.xlsx_file(record_type, request)
        return FileResponse(
            workbook,
            as_attachment=True,
            filename=name,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    separator = exporting.SEPARATORS.get(request.GET.get("sep", ""), ";")
    chunks = exporting.csv_chunks(record_type, request, separator=separator)
    response = StreamingHttpResponse(
        _in_language(translation.get_language(), chunks), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _in_language(language: str, chunks):
    # A streamed body is written after the view has returned: keep the reader's language.
    with translation.override(language):
        yield from chunks


def _tabs(batch: ImportBatch) -> list[tuple[str, str, int]]:
    counts = _counts(batch)
    return [
        ("all", _("All rows"), len(batch.outcomes)),
        ("errors", _("Errors"), counts[ERROR]),
        ("create", _("New"), counts[CREATE]),
        ("update", _("Updates"), counts[UPDATE]),
        ("unchanged", _("Unchanged"), counts[UNCHANGED]),
    ]


def _counts(batch: ImportBatch) -> dict[str, int]:
    counts = {action: 0 for action in (CREATE, UPDATE, UNCHANGED, ERROR)}
    for outcome in batch.outcomes:
        counts[outcome["action"]] += 1
    return counts


def _page_number(request, total: int) -> int:
    raw = request.GET.get("page", "1")
    number = int(raw) if raw.isdigit() and len(raw) < 7 else 1
    return min(max(number, 1), max(1, -(-total // ROWS_PER_PAGE)))
