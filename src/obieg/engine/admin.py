"""Administrators see definitions, cases (with failed steps) and work items."""

from django.contrib import admin

from obieg.engine.models import Case, CaseEvent, ProcessDefinition, WorkItem


@admin.register(ProcessDefinition)
class ProcessDefinitionAdmin(admin.ModelAdmin):
    list_display = ["key", "version", "name", "solution", "deployed_at"]
    list_filter = ["solution"]
    search_fields = ["key", "name"]
    readonly_fields = ["key", "version", "checksum", "source_name", "sources", "deployed_at"]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "kind", "element_id", "name", "data"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "definition", "status", "owner", "next_timer_at", "updated_at"]
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


@admin.register(WorkItem)
class WorkItemAdmin(admin.ModelAdmin):
    list_display = ["name", "case", "status", "assignee", "candidate_group", "due_at", "overdue"]
    list_filter = ["status", "overdue", "candidate_group"]
    raw_id_fields = ["case", "assignee", "completed_by"]
