"""The engine API under /api/engine/ (namespace "engine-api")."""

from django.urls import include, path

from obieg.api.routers import RecordRouter
from obieg.engine.api.views import CaseViewSet, MessageView, WorkItemViewSet

app_name = "engine-api"

router = RecordRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("work-items", WorkItemViewSet, basename="work-item")

urlpatterns = [
    path("messages/", MessageView.as_view(), name="message"),
    path("", include(router.urls)),
]
