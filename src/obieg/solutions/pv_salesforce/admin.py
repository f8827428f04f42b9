"""Administration of the sales force's settings: salespeople's days and absences, the rules.

Until they get pages of their own, managers' settings (working hours,
capacity, home base, days off) are kept here.
"""

from django.contrib import admin

from obieg.solutions.pv_salesforce.models import (
    Absence,
    FieldAbsence,
    FieldDay,
    QueueRule,
    SellerDay,
)


@admin.register(SellerDay)
class SellerDayAdmin(admin.ModelAdmin):
    list_display = ("salesperson", "starts_at", "ends_at", "capacity", "minutes_per_call")
    search_fields = ("salesperson__username", "salesperson__last_name")


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    list_display = ("salesperson", "starts_on", "ends_on")
    search_fields = ("salesperson__username", "salesperson__last_name")


class FieldAbsenceInline(admin.TabularInline):
    model = FieldAbsence
    extra = 0


@admin.register(FieldDay)
class FieldDayAdmin(admin.ModelAdmin):
    list_display = ("user", "home_postal_code", "day_start", "day_end", "active")
    search_fields = ("user__username", "user__last_name")
    inlines = [FieldAbsenceInline]


@admin.register(QueueRule)
class QueueRuleAdmin(admin.ModelAdmin):
    list_display = ("position", "name", "points", "route_to", "active")
    ordering = ("position", "id")
