"""The text searches of the CRM lists, on the folded columns (core.text_search).

"lodz" finds Łódź and "zolw" Żółw: each record keeps its name folded (lower
case, no diacritics), the query is folded the same way, and the match is a
substring test that PostgreSQL answers from a trigram index.
"""

from __future__ import annotations

from django.db.models import Q

from obieg.core.text_search import digits, fold, phone_key
from obieg.crm.models import Account

# Past this many matching customers a name is common: filtering by a subquery
# is then cheaper than sending a long list of ids.
ACCOUNT_ID_LIST_CAP = 500
# Fewer digits than this in a query are part of a name or a street, not a phone.
MIN_PHONE_DIGITS = 5


def account_text(query: str) -> Q:
    """Accounts whose name or town contains `query`, accents and case ignored."""
    folded = fold(query)
    return Q(search_name__contains=folded) | Q(search_city__contains=folded)


def account_ids_named(query: str):
    """Ids of accounts whose name contains `query`: a short list, or a subquery when common.

    A list lets the planner use the referring table's account index for a
    handful of customers; a subquery keeps a common word from sending 10^4 ids.
    """
    named = Account.objects.filter(search_name__contains=fold(query)).order_by()
    ids = list(named.values_list("pk", flat=True)[: ACCOUNT_ID_LIST_CAP + 1])
    if len(ids) <= ACCOUNT_ID_LIST_CAP:
        return ids
    return named.values("pk")


def lead_text(query: str) -> Q:
    """Leads whose company, contact, town, e-mail or phone contains `query`."""
    match = Q(search_name__contains=fold(query)) | Q(email__icontains=query.strip())
    number = phone_key(query) if len(digits(query)) >= MIN_PHONE_DIGITS else ""
    if number:
        match |= Q(phone_digits__contains=number)
    return match


def opportunity_text(query: str) -> Q:
    """Opportunities whose name, or whose customer's name, contains `query`."""
    return Q(search_name__contains=fold(query)) | Q(account_id__in=account_ids_named(query))
