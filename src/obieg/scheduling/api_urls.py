"""The calendar API under /api/scheduling/ (namespace "scheduling-api")."""

from django.urls import include, path

from obieg.scheduling.api import AvailabilityView, router

app_name = "scheduling-api"

urlpatterns = [
    path("availability/", AvailabilityView.as_view(), name="availability"),
    path("", include(router.urls)),
]
