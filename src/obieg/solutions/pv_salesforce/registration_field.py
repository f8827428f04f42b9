"""The field part's registrations (navigation, dashboards, clock)."""

from django.utils.translation import gettext_lazy as _

from obieg.core import worker


def register() -> None:
    from obieg.solutions.pv_salesforce import field_schedule, selectors_field
    from obieg.web import dashboards, navigation

    # Once a day, after SALESFORCE_FIELD_PLAN_AT, the next working day is planned.
    worker.every_tick(field_schedule.plan_next_day_once)
    # The same predicates guard the pages: nobody is shown an entry that answers 404.
    navigation.add(
        "sales",
        _("My field day"),
        "salesforce:field_day",
        visible=selectors_field.is_field_seller,
        order=48,
    )
    navigation.add(
        "sales",
        _("Field days"),
        "salesforce:field_days",
        visible=field_schedule.may_plan,
        order=49,
    )
    dashboards.add(
        "salesforce.field_day",
        template="pv_salesforce/field/home_panel.html",
        context=selectors_field.home_panel,
        visible=selectors_field.is_field_seller,
        order=11,
    )
