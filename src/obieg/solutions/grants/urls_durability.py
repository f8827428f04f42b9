"""Routes of the grants solution (durability); included by urls.py."""

from django.urls import path

from obieg.solutions.grants import views_durability

urlpatterns: list = [
    path("<int:pk>/indicators/", views_durability.indicators, name="indicators"),
    path(
        "<int:pk>/reports/<int:number>/generate/",
        views_durability.report_generate,
        name="durability_report_generate",
    ),
    path(
        "<int:pk>/reports/<int:number>/submit/",
        views_durability.report_submit,
        name="durability_report_submit",
    ),
    path("measure/<str:token>/", views_durability.measurement_entry, name="measurement_entry"),
]
