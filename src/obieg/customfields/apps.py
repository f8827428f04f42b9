from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomFieldsConfig(AppConfig):
    """Fields an administrator adds to accounts, contacts, leads and opportunities."""

    name = "obieg.customfields"
    label = "customfields"
    verbose_name = _("Custom fields")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from obieg.core import access
        from obieg.web import navigation

        navigation.add(
            "admin",
            _("Custom fields"),
            "customfields:field_list",
            visible=access.is_admin,
            order=20,
        )
