"""The catalogue API under /api/catalogue/ (namespace "catalogue-api")."""

from django.urls import include, path

from obieg.catalogue.api import router

app_name = "catalogue-api"

urlpatterns = [path("", include(router.urls))]
