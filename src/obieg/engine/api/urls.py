"""The engine API under /api/engine/ (namespace "engine-api")."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from obieg.engine.api.views import CaseViewSet, MessageView, WorkItemViewSet

app_name = "engine-api"

router = DefaultRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("work-items", WorkItemViewSet, basename="work-item")

urlpatterns = [
    path("messages/", MessageView.as_view(), name="message"),
    path("", include(router.urls)),
]
