"""What the lead, opportunity, offer and contract pages share: list parameters, keyset
pages and the customer a new record is for.

Forms and refusals are handled the CRM pages' way (`web.views.common`).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from obieg.core import access
from obieg.core.pagination import keyset_page
from obieg.crm.models import Account
from obieg.crm.selectors import pipeline

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


def list_page(
    request: HttpRequest, queryset, orderings: dict[str, list[str]], columns: Sequence[str] = ()
) -> dict:
    """One keyset page of `queryset` in the order the `sort` parameter names (default: first).

    With `columns`, the rows hold only those fields (core.pagination.only_columns).
    """
    sort = choice_param(request, "sort", orderings, next(iter(orderings)))
    page = keyset_page(
        queryset,
        ordering=orderings[sort],
        cursor=request.GET.get("cursor"),
        size=PAGE_SIZE,
        columns=columns,
    )
    filtered = any(value for key, value in request.GET.items() if key not in ("sort", "cursor"))
    return {"page": page, "current_sort": sort, "is_filtered": filtered}


def customer(request: HttpRequest, source: str, sources) -> tuple[Account | None, object | None]:
    """The account a new record is for, and the visible record of `sources` it starts from.

    Both come from the query string: ?account= and ?<source>=; without ?account= the
    account is the source's (`sources` should select it), else None.
    """
    user = request.user
    start = None
    if request.GET.get(source):
        start = access.get_visible_or_404(sources, user, pk=request.GET[source])
    if request.GET.get("account"):
        account = access.get_visible_or_404(Account.objects.all(), user, pk=request.GET["account"])
    else:
        account = start.account if start else None
    return account, start


def pick_account(request: HttpRequest, heading: str) -> HttpResponse:
    """The page that asks which customer a new record is for (searched by ?account_q=)."""
    query = request.GET.get("account_q", "").strip()
    context = {
        "heading": heading,
        "account_q": query,
        "candidates": pipeline.accounts_to_pick(request.user, query=query),
    }
    return render(request, "web/opportunities/pick_account.html", context)
