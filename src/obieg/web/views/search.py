"""The global search: the header box's drop-down (htmx) and the search page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from obieg.web import global_search
from obieg.web.views.common import is_htmx
from obieg.web.views.sales_common import choice_param


@login_required
@require_GET
def search(request):
    """Matches of ?q= by kind; ?kind= shows more of one kind. htmx asks for the drop-down only."""
    query = request.GET.get("q", "").strip()[: global_search.MAX_QUERY]
    kind = choice_param(request, "kind", global_search.KINDS)
    limit = global_search.MORE_LIMIT if kind else global_search.PER_KIND
    context = {
        "query": query,
        "kind": kind,
        "groups": global_search.search(request.user, query, kind=kind, limit=limit),
        "too_short": bool(query) and global_search.Terms.parse(query).empty,
        "kinds": {name: spec.label for name, spec in global_search.KINDS.items()},
    }
    if is_htmx(request) and not kind:
        return render(request, "web/search/_results.html", context)
    return render(request, "web/search/page.html", context)
