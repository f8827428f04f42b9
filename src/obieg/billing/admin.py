"""Admin: the seller's profile and numbering series are set up here; invoices are read-only.

An issued invoice is a tax document: it is never edited or deleted in the
admin (corrections are separate documents), so its admin allows viewing only.
"""

from django.contrib import admin

from obieg.billing.models import (
    CompanyProfile,
    Invoice,
    InvoiceLine,
    InvoiceRateTotal,
    InvoiceSeries,
    Payment,
    ScheduleItem,
)


@admin.register(CompanyProfile)
class CompanyProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "nip", "city", "bank_account")

    def has_add_permission(self, request):
        # One seller per installation.
        return not CompanyProfile.objects.exists() and super().has_add_permission(request)


@admin.register(InvoiceSeries)
class InvoiceSeriesAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "pattern", "reset", "active")
    list_filter = ("kind", "active")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LineInline(ReadOnlyInline):
    model = InvoiceLine


class RateTotalInline(ReadOnlyInline):
    model = InvoiceRateTotal


class PaymentInline(ReadOnlyInline):
    model = Payment


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "issue_date", "buyer_name", "gross", "paid", "status")
    list_filter = ("kind", "status")
    search_fields = ("=number", "buyer_name", "=buyer_nip")
    date_hierarchy = "issue_date"
    show_full_result_count = False
    list_per_page = 50
    inlines = [LineInline, RateTotalInline, PaymentInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScheduleItem)
class ScheduleItemAdmin(admin.ModelAdmin):
    list_display = ("contract", "due_date", "kind", "amount", "invoice", "last_error")
    list_filter = ("kind",)
    raw_id_fields = ("contract", "invoice")
    list_select_related = ("contract", "invoice")
    show_full_result_count = False
