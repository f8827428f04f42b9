from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EngineConfig(AppConfig):
    name = "obieg.engine"
    label = "engine"
    verbose_name = _("Processes")

    def ready(self) -> None:
        from obieg.core import worker
        from obieg.engine import deploy, timers

        post_migrate.connect(_deploy_after_migrate, sender=self)
        # Deploy again when a worker or the server starts (unchanged files are skipped),
        # and let every worker's clock fire timers and mark overdue tasks.
        worker.on_start(deploy.deploy_all)
        worker.every_tick(timers.tick)

        from obieg.core import access
        from obieg.engine import participation
        from obieg.web import navigation

        # A case's participants see the records it is about and what is attached to them.
        access.register_participation(participation.case_subjects)
        access.register_participation(participation.cases)

        navigation.add("operations", _("Cases"), "engine:case_list", order=5)
        from obieg.engine.studio import health  # noqa: F401  (registers `obieg check`'s check)
        from obieg.engine.studio.permissions import may_manage_processes

        navigation.add(
            "admin",
            _("Processes"),
            "engine:definition_list",
            visible=may_manage_processes,
            order=20,
        )
        navigation.add(
            "admin", _("Unassigned work"), "engine:unassigned", visible=access.is_admin, order=21
        )
        navigation.add(
            "admin", _("Names in models"), "engine:name_mappings", visible=access.is_admin, order=22
        )


def _deploy_after_migrate(sender, **kwargs) -> None:
    from obieg.engine import deploy

    deploy.deploy_all()
