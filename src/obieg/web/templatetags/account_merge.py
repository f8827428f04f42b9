"""Template helpers of the customer 360° page: the apps' sections, the merge button and entry."""

from django import template

from obieg.crm import merge
from obieg.crm.selectors import account_sections

register = template.Library()


@register.filter
def section_cards(sections):
    """The sections other apps added (invoices, cases …) with something to show, in order."""
    return account_sections.cards(sections)


@register.simple_tag(takes_context=True)
def may_start_merge(context, account) -> bool:
    request = context.get("request")
    return request is not None and merge.may_start(request.user, account)


@register.filter
def merge_moved(moved) -> list[tuple[str, int]]:
    """A merge audit entry's {relation key: count} as (what people call it, count)."""
    if not isinstance(moved, dict):
        return []
    return [(merge.relation_label(key), count) for key, count in sorted(moved.items())]


@register.filter
def merge_choice_labels(keys) -> str:
    """Field keys of a merge entry ("address", "nip") as the account's field labels."""
    if not isinstance(keys, list | dict):
        return ""
    return ", ".join(merge.key_label(str(key)) for key in keys)


@register.filter
def merge_choice_labels_one(key) -> str:
    return merge.key_label(str(key))
