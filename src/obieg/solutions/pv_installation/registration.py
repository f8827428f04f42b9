"""Registers the PV forms and actions with the engine (called from AppConfig.ready)."""

from obieg.engine import registry


def register() -> None:
    from obieg.solutions.pv_installation.actions import ACTIONS
    from obieg.solutions.pv_installation.forms import FORMS

    for key, form_class in FORMS.items():
        registry.register_form(key, form_class)
    for name, action in ACTIONS.items():
        registry.register_action(name, action)
