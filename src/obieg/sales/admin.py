from django.contrib import admin

from obieg.sales.models import Contract, Offer, OfferLine


class OfferLineInline(admin.TabularInline):
    model = OfferLine
    extra = 0
    raw_id_fields = ("product",)  # the catalogue may be long: no select of every item


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ("__str__", "account", "status", "total_net", "total_gross")
    list_filter = ("status",)
    list_select_related = ("account",)
    raw_id_fields = ("account", "opportunity", "supersedes", "created_by")
    readonly_fields = ("total_net", "total_vat", "total_gross", "total_cost")
    inlines = [OfferLineInline]
    show_full_result_count = False


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ("number", "account", "status", "value_gross", "signed_on")
    list_filter = ("status",)
    list_select_related = ("account",)
    raw_id_fields = ("account", "offer", "opportunity", "owner")
    show_full_result_count = False
