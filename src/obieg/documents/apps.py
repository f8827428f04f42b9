from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "obieg.documents"
    label = "documents"
