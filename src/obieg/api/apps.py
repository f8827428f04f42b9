from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "obieg.api"
    label = "api"
