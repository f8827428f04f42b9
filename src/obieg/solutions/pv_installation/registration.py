"""What the PV solution plugs into the platform: forms, actions, its document rule, pages."""

from django.utils.translation import gettext_lazy as _

from obieg.core import access
from obieg.engine import registry


def register() -> None:
    from obieg.crm import opportunity_hooks
    from obieg.solutions.pv_installation import services
    from obieg.solutions.pv_installation.actions import ACTIONS
    from obieg.solutions.pv_installation.forms import FORMS
    from obieg.solutions.pv_installation.models import PVProject
    from obieg.solutions.pv_installation.reading import attached_documents

    # The crews work on a project but read only its job's papers, not the money's.
    access.register_attachment_rule(PVProject, attached_documents)

    # A sale won elsewhere (the sales force's visit) starts the installation's case.
    opportunity_hooks.register_handover(services.PROCESS, services.project_start_for_opportunity)

    for key, form_class in FORMS.items():
        registry.register_form(key, form_class)
    for name, action in ACTIONS.items():
        registry.register_action(name, action)

    from obieg.web import dashboards, navigation

    navigation.add("operations", _("PV projects"), "pv:project_list", order=30)
    # "New lead" on a seller's home page starts a PV case with its audit.
    navigation.add_start(_("PV installation"), "pv:lead_new", visible=dashboards.sells, order=10)
