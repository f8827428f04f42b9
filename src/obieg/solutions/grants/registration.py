"""What the grants solution plugs into the platform: forms, actions, access, clock, pages."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Value

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
