"""What the lead, opportunity, offer and contract lists share: parameters and keyset pages.

Forms and refusals are handled the CRM pages' way (`web.views.common`).
"""

from __future__ import annotations

from django.http import HttpRequest

from obieg.core.pagination import keyset_page

PAGE_SIZE = 25
MAX_ID = 2**63 - 1  # the largest BigAutoField value; SQLite overflows past it


def choice_param(request: HttpRequest, name: str, allowed, default: str = "") -> str:
    """A query parameter limited to `allowed` values; anything else means `default`."""
    value = request.GET.get(name, default)
    return value if value in allowed else default


def id_param(request: HttpRequest, name: str) -> int | None:
    """A record id from the query string, or None; a forged huge number is no id at all."""
    value = request.GET.get(name, "")
    if not value.isdigit() or int(value) > MAX_ID:
        return None
    return int(value)


def list_page(request: HttpRequest, queryset, orderings: dict[str, list[str]]) -> dict:
    """One keyset page of `queryset` in the order the `sort` parameter names (default: first)."""
    sort = choice_param(request, "sort", orderings, next(iter(orderings)))
    page = keyset_page(
        queryset, ordering=orderings[sort], cursor=request.GET.get("cursor"), size=PAGE_SIZE
    )
    filtered = any(value for key, value in request.GET.items() if key not in ("sort", "cursor"))
    return {"page": page, "current_sort": sort, "is_filtered": filtered}
