from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomFieldsConfig(AppConfig):
    """Fields an administrator adds to accounts, contacts, leads and opportunities."""

    name = "obieg.customfields"
    label = "customfields"
    verbose_name = _("Custom fields")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_delete

        from obieg.core import access
        from obieg.customfields.indexing import IndexedCustomValues, forget_deleted
        from obieg.web import navigation

        for model in apps.get_models():
            if issubclass(model, IndexedCustomValues):
                post_delete.connect(
                    forget_deleted, sender=model, dispatch_uid=f"custom-values-{model.__name__}"
                )

        navigation.add(
            "admin",
            _("Custom fields"),
            "customfields:field_list",
            visible=access.is_admin,
            order=20,
        )
