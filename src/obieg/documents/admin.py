from django.contrib import admin

from obieg.documents.models import Document, DocumentVersion


class DocumentVersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    readonly_fields = ("number", "original_name", "checksum", "size", "content_type", "created_by")


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "account", "current_version", "updated_at")
    list_filter = ("kind",)
    list_select_related = ("account",)
    raw_id_fields = ("account", "created_by")
    inlines = [DocumentVersionInline]
    show_full_result_count = False
