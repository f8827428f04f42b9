from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "obieg.crm"
    label = "crm"
