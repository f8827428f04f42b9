from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "obieg.catalogue"
    label = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self):
        from obieg.catalogue import rules
        from obieg.web import navigation

        navigation.add(
            "sales", _("Catalogue"), "catalogue:product_list", visible=rules.may_read, order=45
        )
