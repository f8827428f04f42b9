"""What the calendar app adds to the platform's menus (called from SchedulingConfig.ready)."""

from django.utils.translation import gettext_lazy as _


def register_pages() -> None:
    from obieg.core import access
    from obieg.scheduling import selectors
    from obieg.web import navigation

    navigation.add("operations", _("Calendar"), "scheduling:planning", order=20)
    # The same predicates guard the pages: nobody is shown an entry that answers 404.
    navigation.add(
        "operations", _("Crews"), "scheduling:crew_list", visible=selectors.can_plan, order=21
    )
    navigation.add(
        "admin",
        _("Google Calendar"),
        "scheduling:google_settings",
        visible=access.is_admin,
        order=30,
    )
