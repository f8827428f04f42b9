"""Registers the PV forms and actions with the engine, and its document rule with access."""

from obieg.core import access
from obieg.engine import registry


def register() -> None:
    from obieg.solutions.pv_installation.actions import ACTIONS
    from obieg.solutions.pv_installation.forms import FORMS
    from obieg.solutions.pv_installation.models import PVProject
    from obieg.solutions.pv_installation.reading import attached_documents

    # The crews work on a project but read only its job's papers, not the money's.
    access.register_attachment_rule(PVProject, attached_documents)

    for key, form_class in FORMS.items():
        registry.register_form(key, form_class)
    for name, action in ACTIONS.items():
        registry.register_action(name, action)
