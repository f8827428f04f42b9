from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertOpinionsConfig(AppConfig):
    """S4: registers its forms and actions with the engine; its models are in processes/."""

    name = "obieg.solutions.expert_opinions"
    label = "expert_opinions"
    verbose_name = _("Expert opinions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from obieg.engine import registry
        from obieg.solutions.expert_opinions import actions, forms

        for key, form_class in forms.PROCESS_FORMS.items():
            registry.register_form(key, form_class)
        for name, action in actions.ACTIONS.items():
            registry.register_action(name, action)

        from obieg.core import access, roles
        from obieg.web import navigation

        navigation.add("operations", _("Inquiries"), "expert_opinions:inquiry_list", order=40)
        navigation.add(
            "operations",
            _("Experts"),
            "expert_opinions:expert_list",
            visible=lambda user: access.is_admin(user)
            or bool(user.department_id)
            or user.has_role(roles.SECRETARIAT, roles.BOARD),
            order=41,
        )
        navigation.add(
            "operations",
            _("Board review"),
            "expert_opinions:board",
            visible=lambda user: access.is_admin(user) or user.has_role(roles.BOARD),
            order=42,
        )
