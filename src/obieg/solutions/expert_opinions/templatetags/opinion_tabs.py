"""The solution's tabs, each shown only to whom its page is open (the menu asks the same)."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from obieg.solutions.expert_opinions import selectors

register = template.Library()

TABS = (
    ("inquiries", _("Inquiries"), "expert_opinions:inquiry_list", selectors.may_work_on_inquiries),
    (
        "meetings",
        _("My meetings"),
        "expert_opinions:meeting_list",
        selectors.may_turn_meetings_into_inquiries,
    ),
    ("experts", _("Experts"), "expert_opinions:expert_list", selectors.may_see_experts),
    ("board", _("Board"), "expert_opinions:board", selectors.may_see_board_page),
)


@register.simple_tag(takes_context=True)
def opinion_tabs(context) -> list[tuple[str, str, str]]:
    """(key, label, url) of the tabs the signed-in person may open."""
    user = context["request"].user
    return [(key, str(label), reverse(name)) for key, label, name, may in TABS if may(user)]
