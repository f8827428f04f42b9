"""The engine API under /api/engine/ (namespace "engine-api")."""

from django.urls import include, path

from obieg.api.routers import RecordRouter
from obieg.engine.api.definition_views import DefinitionViewSet
from obieg.engine.api.external_views import ExternalTaskViewSet
from obieg.engine.api.migration_views import (
    MigrationDryRunView,
    MigrationRunView,
    VersionDiffView,
)
from obieg.engine.api.people_views import NameMappingViewSet, UnassignedWorkView
from obieg.engine.api.views import CaseViewSet, MessageView, SignalView, WorkItemViewSet

app_name = "engine-api"

router = RecordRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("work-items", WorkItemViewSet, basename="work-item")
router.register("external-tasks", ExternalTaskViewSet, basename="external-task")
router.register("name-mappings", NameMappingViewSet, basename="name-mapping")
router.register("definitions", DefinitionViewSet, basename="definition")

urlpatterns = [
    path("messages/", MessageView.as_view(), name="message"),
    path("signals/", SignalView.as_view(), name="signal"),
    path("unassigned/", UnassignedWorkView.as_view(), name="unassigned"),
    path("definitions/<int:pk>/diff/", VersionDiffView.as_view(), name="definition-diff"),
    path(
        "definitions/<int:pk>/migration/dry-run/",
        MigrationDryRunView.as_view(),
        name="definition-migration-dry-run",
    ),
    path(
        "definitions/<int:pk>/migration/", MigrationRunView.as_view(), name="definition-migration"
    ),
    path("", include(router.urls)),
]
