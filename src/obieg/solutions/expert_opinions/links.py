"""The signed link a client answers an offer with, without an account.

The token names the inquiry and the offer it was sent with, is signed with
the site's secret and expires; a revised offer gets a new link, and the old
one stops working because its offer no longer matches.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext as _

from obieg.core.customer_links import CustomerLink, LinkInvalid
from obieg.core.errors import ApplicationError
from obieg.solutions.expert_opinions.models import Inquiry

SALT = "expert_opinions.offer_answer"
VALID_FOR = timedelta(days=30)


def answer_link() -> CustomerLink:
    # Made when used: its age is VALID_FOR as the module holds it then.
    return CustomerLink(salt=SALT, max_age=VALID_FOR, view_name="expert_opinions:offer_answer")


def answer_token(inquiry: Inquiry) -> str:
    return answer_link().token({"inquiry": inquiry.pk, "offer": inquiry.offer_id})


def answer_url(inquiry: Inquiry) -> str:
    """The absolute link when the site's public address is configured, else the path."""
    return answer_link().url(answer_token(inquiry))


def inquiry_for_token(token: str) -> Inquiry:
    """The inquiry a valid, unexpired token names; ApplicationError otherwise."""
    try:
        value = answer_link().read(token)
        inquiry = Inquiry.objects.select_related("account", "offer").get(pk=value["inquiry"])
    except (LinkInvalid, Inquiry.DoesNotExist, KeyError, TypeError) as error:
        raise ApplicationError(
            _("This link is not valid or has expired; please contact us.")
        ) from error
    if inquiry.offer_id != value.get("offer"):
        raise ApplicationError(_("This offer has been replaced by a newer one; please contact us."))
    return inquiry
