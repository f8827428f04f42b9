from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "obieg.sales"
    label = "sales"
