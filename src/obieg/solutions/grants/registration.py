"""What the grants solution plugs into the platform: forms, actions, access, clock, pages."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Value
from django.utils.translation import gettext_lazy as _

from obieg.core import access, worker
from obieg.engine import registry


def coordinated_projects(user):
    """A coordinator works on the projects they coordinate, tasks or not (for the access policy)."""
    from obieg.solutions.grants.models import GrantProject

    project_type = ContentType.objects.get_for_model(GrantProject).pk
    return GrantProject.objects.filter(coordinator_id=user.pk).annotate(
        record_type=Value(project_type), record_id=F("pk")
    )


def register() -> None:
    from obieg.solutions.grants.actions import ACTIONS
    from obieg.solutions.grants.forms import FORMS
    from obieg.solutions.grants.tasks import enqueue_scan_hourly

    for key, form_class in FORMS.items():
        registry.register_form(key, form_class)
    for name, action in ACTIONS.items():
        registry.register_action(name, action)
    access.register_participation(coordinated_projects)
    worker.every_tick(enqueue_scan_hourly)
    register_pages()


def register_pages() -> None:
    """The menu entries, the coordinator's home panel and the grants panel of the 360° page."""
    from obieg.solutions.grants import dashboard, selectors, services
    from obieg.web import account_panels, dashboards, navigation

    # The same predicates guard the pages: nobody is shown an entry that answers 404.
    navigation.add(
        "operations",
        _("Grant projects"),
        "grants:project_list",
        visible=selectors.may_see_projects,
        order=35,
    )
    navigation.add(
        "operations",
        _("Deadlines"),
        "grants:deadlines",
        visible=selectors.may_see_deadlines,
        order=36,
    )
    # A grant project always grows from an opportunity: started from the opportunity's page.
    navigation.add_opportunity_action(
        _("Start the grant project"), "grants:project_new", visible=services.may_start
    )
    dashboards.add(
        "grants.deadlines",
        template="grants/home/deadlines.html",
        context=dashboard.home_panel,
        visible=selectors.is_coordinator,
        order=10,
    )
    account_panels.add(
        "grants.projects",
        template="grants/pages/_account_panel.html",
        context=selectors.account_projects,
        order=20,
    )
