"""Admin for CRM records. Lists never count whole tables (show_full_result_count)."""

from django.contrib import admin

from obieg.crm.models import Account, Activity, ContactPerson, Lead, Opportunity


class LargeTableAdmin(admin.ModelAdmin):
    show_full_result_count = False
    list_per_page = 50


@admin.register(Account)
class AccountAdmin(LargeTableAdmin):
    list_display = ("name", "kind", "nip", "city", "owner")
    list_filter = ("kind", "voivodeship")
    search_fields = ("name", "=nip", "city")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)


@admin.register(ContactPerson)
class ContactPersonAdmin(LargeTableAdmin):
    list_display = ("last_name", "first_name", "account", "email", "phone")
    search_fields = ("last_name", "email")
    list_select_related = ("account",)
    raw_id_fields = ("account",)


@admin.register(Activity)
class ActivityAdmin(LargeTableAdmin):
    list_display = ("subject", "kind", "status", "occurs_at", "account", "owner")
    list_filter = ("kind", "status")
    list_select_related = ("account", "owner")
    raw_id_fields = ("account", "contact", "opportunity", "owner")


@admin.register(Lead)
class LeadAdmin(LargeTableAdmin):
    list_display = ("contact_name", "company_name", "source", "status", "owner")
    list_filter = ("status", "source")
    list_select_related = ("owner",)
    raw_id_fields = ("owner", "account", "opportunity")


@admin.register(Opportunity)
class OpportunityAdmin(LargeTableAdmin):
    list_display = ("name", "account", "stage", "value", "owner", "expected_close")
    list_filter = ("stage", "escalated_to_board", "department")
    list_select_related = ("account", "owner")
    raw_id_fields = ("account", "owner")
