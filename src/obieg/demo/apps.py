from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and scale data (`obieg demo`); no models of its own."""

    name = "obieg.demo"
    label = "demo"
