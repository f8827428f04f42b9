from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertOpinionsConfig(AppConfig):
    """S4: expert opinions on the process engine; registration.py plugs it into the platform."""

    name = "obieg.solutions.expert_opinions"
    label = "expert_opinions"
    verbose_name = _("Expert opinions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from obieg.solutions.expert_opinions import registration

        registration.register()
