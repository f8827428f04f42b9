from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "obieg.web"
    label = "web"
