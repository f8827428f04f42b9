from django.urls import path

from obieg.dataio import views

app_name = "dataio"
urlpatterns = [
    path("import/", views.import_start, name="import"),
    path("import/<uuid:pk>/", views.import_batch, name="batch"),
    path("import/<uuid:pk>/run/", views.import_run, name="run"),
    path("import/<uuid:pk>/discard/", views.import_discard, name="discard"),
    path("export/<str:kind>.<str:file_format>", views.export, name="export"),
]
