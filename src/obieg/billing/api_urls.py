"""The billing API under /api/billing/ (namespace "billing-api")."""

from django.urls import include, path

from obieg.billing.api import router

app_name = "billing-api"

urlpatterns = [path("", include(router.urls))]
