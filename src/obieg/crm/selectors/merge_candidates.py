"""The accounts one account may be merged with: found by name, NIP or REGON."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from obieg.core.access import changeable
from obieg.crm.models import Account

CANDIDATE_LIMIT = 20


def merge_candidates(user, account: Account, text: str) -> list[Account]:
    """Up to CANDIDATE_LIMIT other accounts `user` may change, matching `text`.

    Digits (dashes and spaces allowed) are a NIP or REGON prefix, anything
    else part of the name. Only accounts the user may change are offered:
    a merge changes both.
    """
    text = text.strip()
    if not text:
        return []
    others: QuerySet = changeable(Account.objects.exclude(pk=account.pk), user)
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits and not text.strip("0123456789- PLpl"):
        match = Q(nip__startswith=digits) | Q(regon__startswith=digits)
    else:
        match = Q(name__icontains=text)
        if any(field.name == "search_name" for field in Account._meta.fields):
            # The folded name column, where the list search keeps it: "lodz" finds Łódź.
            from obieg.core.text_search import fold

            match |= Q(search_name__contains=fold(text))
    return list(
        others.filter(match).select_related("owner").order_by("name", "id")[:CANDIDATE_LIMIT]
    )
