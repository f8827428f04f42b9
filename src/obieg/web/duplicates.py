"""The duplicate warning of the create forms (accounts, contacts, leads).

A valid new record is checked before it is saved; when it looks like records
the person can see, the form comes back with them listed (each a link) and a
"Save anyway" button that posts the form again with ACCEPT_FIELD.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.http import HttpRequest
from django.urls import reverse

from obieg.crm.selectors.duplicates import Duplicate

ACCEPT_FIELD = "accept_duplicates"

_URLS = {
    "account": lambda record: reverse("account_detail", args=[record.pk]),
    "contact": lambda record: reverse("account_detail", args=[record.account_id]) + "#contacts",
    "lead": lambda record: reverse("lead_detail", args=[record.pk]),
}


def url_of(duplicate: Duplicate) -> str:
    return _URLS[duplicate.kind](duplicate.record)


def duplicates_to_confirm(
    request: HttpRequest, form: forms.BaseForm, find: Callable[[dict], list[Duplicate]]
) -> list[dict]:
    """What a posted, valid form may duplicate, unless the person already said to save anyway.

    Each is a dict for the template: the record, its link and what matched.
    """
    if request.method != "POST" or request.POST.get(ACCEPT_FIELD) == "1" or not form.is_valid():
        return []
    return [
        {
            "record": found.record,
            "kind": found.kind,
            "url": url_of(found),
            "matched": found.matched_labels,
        }
        for found in find(form.cleaned_data)
    ]
