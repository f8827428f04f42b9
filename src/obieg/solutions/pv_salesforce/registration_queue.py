"""The queues part's registrations (navigation, dashboards, clock)."""

from django.utils.translation import gettext_lazy as _

from obieg.core import worker


def register() -> None:
    from obieg.crm import opportunity_hooks
    from obieg.solutions.pv_salesforce import call_schedule, queue, selectors_queue
    from obieg.web import dashboards, navigation

    # Converted leads of the queued sources enter the queue with their conversion.
    opportunity_hooks.on_opened(queue.enqueue_converted)

    worker.every_tick(call_schedule.build_each_morning)
    # The same predicates guard the pages: nobody is shown an entry that answers 404.
    navigation.add(
        "sales",
        _("My calls"),
        "salesforce:calls",
        visible=selectors_queue.is_phone_seller,
        order=45,
    )
    navigation.add("sales", _("Queues"), "salesforce:queue", visible=queue.may_manage, order=46)
    navigation.add(
        "sales", _("Queue rules"), "salesforce:queue_rules", visible=queue.may_manage, order=47
    )
    dashboards.add(
        "salesforce.calls",
        template="pv_salesforce/queue/home_panel.html",
        context=selectors_queue.home_panel,
        visible=selectors_queue.is_phone_seller,
        order=10,
    )
