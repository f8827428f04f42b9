from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from obieg.core.models import AuditEntry, Department, Specialisation, Team, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),  # always set; Optional only in the stubs
        (_("Organisation"), {"fields": ("department", "team", "phone")}),
    )
    list_display = ("username", "first_name", "last_name", "department", "team", "is_active")
    list_filter = ("groups", "department", "team", "is_active")
    list_select_related = ("department", "team")


@admin.register(Specialisation)
class SpecialisationAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "head")
    filter_horizontal = ("specialisations",)
    list_select_related = ("head",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "department", "manager")
    list_select_related = ("department", "manager")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is written by services, never edited."""

    list_display = ("at", "actor", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    list_select_related = ("actor", "content_type")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
