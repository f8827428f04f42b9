from django.contrib import admin

from obieg.catalogue.models import Product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "unit", "unit_price", "vat_rate", "active")
    list_filter = ("kind", "active", "vat_rate")
    search_fields = ("code", "search_name")
    ordering = ("sort_name", "id")
    show_full_result_count = False
