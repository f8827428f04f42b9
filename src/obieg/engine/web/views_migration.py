"""Compare two versions of a process, and move running cases between them (#15).

Process administrators and administrators only. The diff page lists what was
added, removed and changed and marks it on both diagrams; the move page
takes a mapping for the waiting elements the target lacks, shows a dry run
(every case, where its tokens land or why it cannot move) and moves the
cases the dry run listed, at the revisions it saw.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from obieg.core.errors import ApplicationError
from obieg.engine.migration import cases as migration
from obieg.engine.migration.diff import diff_versions
from obieg.engine.models import ProcessDefinition
from obieg.engine.studio.permissions import may_manage_processes
from obieg.engine.web.views_definitions import _definition, _refuse
from obieg.web.views.common import refuse


def _other(request, definition) -> ProcessDefinition | None:
    raw = request.GET.get("other", request.POST.get("other", ""))
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    other = _definition(int(raw))
    if other.key != definition.key:
        raise Http404
    return other


def _versions(definition):
    return (
        ProcessDefinition.objects.filter(key=definition.key)
        .only("pk", "version")
        .order_by("-version")
    )


@login_required
@require_GET
def version_diff(request, pk):
    if not may_manage_processes(request.user):
        return _refuse(request)
    definition = _definition(pk)
    other = _other(request, definition)
    context = {"definition": definition, "other": other, "versions": _versions(definition)}
    if other is not None:
        older, newer = sorted([definition, other], key=lambda d: d.version)
        diff = diff_versions(older, newer)
        context.update(
            older=older,
            newer=newer,
            diff=diff,
            markers={"older": diff.markers(), "newer": diff.markers()},
        )
    return render(request, "engine/migration_diff.html", context)


def _mapping_from(request, rows) -> dict[str, str]:
    if request.method != "POST":
        return {row.element_id: row.suggestion for row in rows if row.suggestion}
    return {
        row.element_id: request.POST.get(f"map:{row.element_id}", "")
        for row in rows
        if request.POST.get(f"map:{row.element_id}", "")
    }


def _cases_from(request) -> dict[int, int]:
    """ "id:revision" values of the dry run's movable cases; garbled ones are ignored."""
    cases = {}
    for value in request.POST.getlist("case"):
        case_id, _colon, revision = value.partition(":")
        if case_id.isdigit() and revision.isdigit():
            cases[int(case_id)] = int(revision)
    return cases


@login_required
@require_http_methods(["GET", "POST"])
def migrate(request, pk):
    if not may_manage_processes(request.user):
        return _refuse(request)
    source = _definition(pk)
    target = _other(request, source)
    context = {"definition": source, "target": target, "versions": _versions(source)}
    if target is None or target.pk == source.pk:
        return render(request, "engine/migration_cases.html", context)
    rows = migration.mapping_rows(source, target)
    mapping = _mapping_from(request, rows)
    context.update(rows=rows, mapping=mapping)
    status = 200
    try:
        if request.method == "POST" and request.POST.get("run") == "migrate":
            context["moved"] = migration.migrate_cases(
                actor=request.user,
                source=source,
                target=target,
                mapping=mapping,
                cases=_cases_from(request),
            )
        elif request.method == "POST":
            after = request.POST.get("after", "")
            context["dry"] = migration.dry_run(
                actor=request.user,
                source=source,
                target=target,
                mapping=mapping,
                after=int(after) if after.isdigit() else 0,
            )
    except ApplicationError as error:
        if error.status_code == 403:
            return refuse(request, error.message, status=403)
        context["error"] = error
        status = error.status_code
    return render(request, "engine/migration_cases.html", context, status=status)
