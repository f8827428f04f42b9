"""Administrators see definitions, cases (with failed steps) and work items."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from obieg.engine.models import (
    Case,
    CaseEvent,
    ExternalTask,
    NameMapping,
    ProcessDefinition,
    WorkItem,
)

_DEFINITION_FIELDS = (
    "key",
    "version",
    "name",
    "solution",
    "source_name",
    "checksum",
    "deployed_at",
)


@admin.register(ProcessDefinition)
class ProcessDefinitionAdmin(admin.ModelAdmin):
    """Deployed versions, newest first per process, each with a link to its diagram.

    Definitions come from deploying the solutions' files; nobody edits them here.
    """

    list_display = ["key", "version", "name", "solution", "deployed_at", "versions", "diagram"]
    list_filter = ["solution", "key"]
    search_fields = ["key", "name"]
    ordering = ["key", "-version"]
    fields = _DEFINITION_FIELDS
    readonly_fields = [*_DEFINITION_FIELDS, "diagram"]

    def get_queryset(self, request):
        # The XML sources can be large; the list and the page do not show them.
        return super().get_queryset(request).defer("sources")

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("versions"))
    def versions(self, definition: ProcessDefinition) -> str:
        url = reverse("admin:engine_processdefinition_changelist")
        return format_html('<a href="{}?key={}">{}</a>', url, definition.key, _("all versions"))

    @admin.display(description=_("diagram"))
    def diagram(self, definition: ProcessDefinition) -> str:
        url = reverse("engine:definition_detail", args=[definition.pk])
        return format_html('<a href="{}">{}</a>', url, _("show the diagram"))


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "kind", "element_id", "name", "data"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "title",
        "definition",
        "status",
        "owner",
        "next_timer_at",
        "updated_at",
        "page",
    ]
    list_filter = ["status", "definition__key"]
    search_fields = ["title"]
    raw_id_fields = ["owner", "started_by"]
    readonly_fields = [
        "state",
        "data",
        "error_message",
        "error_element",
        "pending_step",
        "revision",
    ]
    inlines = [CaseEventInline]

    @admin.display(description=_("case page"))
    def page(self, case: Case) -> str:
        url = reverse("engine:case_detail", args=[case.pk])
        return format_html('<a href="{}">{}</a>', url, _("open"))


@admin.register(WorkItem)
class WorkItemAdmin(admin.ModelAdmin):
    list_display = ["name", "case", "status", "assignee", "candidate_group", "due_at", "overdue"]
    list_filter = ["status", "overdue", "candidate_group"]
    raw_id_fields = ["case", "assignee", "completed_by"]


@admin.register(NameMapping)
class NameMappingAdmin(admin.ModelAdmin):
    """Names models use for people (Camunda candidate groups) and who they mean here."""

    list_display = ["name", "role", "department", "user", "updated_at"]
    search_fields = ["name"]
    autocomplete_fields = ["user"]


@admin.register(ExternalTask)
class ExternalTaskAdmin(admin.ModelAdmin):
    """External tasks, for looking up a worker's lock or an incident; workers change them."""

    list_display = ["name", "topic", "case", "status", "worker_id", "locked_until", "retries"]
    list_filter = ["status", "incident", "topic"]
    search_fields = ["topic", "element_id", "worker_id"]
    raw_id_fields = ["case", "completed_by"]
    readonly_fields = [field.name for field in ExternalTask._meta.fields]

    def has_add_permission(self, request):
        return False
