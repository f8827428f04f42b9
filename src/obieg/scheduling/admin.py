"""Admin for calendar data: crews, skills, events, and external calendars (never their password)."""

from django.contrib import admin

from obieg.scheduling.models import CalDAVAccount, CalendarEvent, Crew, Skill, UserCalendar


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Crew)
class CrewAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "company", "active"]
    list_filter = ["kind", "active", "skills"]
    search_fields = ["name", "company"]
    filter_horizontal = ["members", "skills"]
    # The feed token is rotated on the crew's page, where the rotation is recorded.
    exclude = ["feed_token"]
    raw_id_fields = ["caldav"]


@admin.register(UserCalendar)
class UserCalendarAdmin(admin.ModelAdmin):
    list_display = ["user", "caldav"]
    exclude = ["feed_token"]
    raw_id_fields = ["user", "caldav"]


@admin.register(CalDAVAccount)
class CalDAVAccountAdmin(admin.ModelAdmin):
    list_display = ["url", "username", "status", "last_success_at", "failures"]
    list_filter = ["status"]
    readonly_fields = [
        "status",
        "last_error",
        "last_attempt_at",
        "last_success_at",
        "failures",
        "retry_at",
        "next_pull_at",
    ]
    exclude = ["lease_until"]


@admin.register(CalendarEvent)
class CalendarEventAdmin(admin.ModelAdmin):
    list_display = ["title", "crew", "user", "start", "end", "status"]
    list_filter = ["status", "crew"]
    search_fields = ["title", "location", "uid"]
    date_hierarchy = "start"
    raw_id_fields = ["crew", "user", "created_by", "synced_account"]

    # Changes go through the pages and the API, so they are recorded and synced.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
