from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "obieg.core"
    label = "core"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from obieg.core import roles

        post_migrate.connect(roles.ensure_groups, sender=self)
