"""The manager's part's registrations: its navigation entries."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from obieg.solutions.pv_salesforce import queue
    from obieg.web import navigation

    # The same predicate guards the pages: nobody is shown an entry that answers 404.
    navigation.add(
        "sales", _("Sales team"), "salesforce:manager", visible=queue.may_manage, order=44
    )
    navigation.add(
        "sales",
        _("Salespeople's hours"),
        "salesforce:settings_phone",
        visible=queue.may_manage,
        order=50,
    )
