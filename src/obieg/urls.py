from django.contrib import admin
from django.urls import include, path

from obieg.web.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("obieg.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("billing/", include("obieg.billing.urls")),
    path("scheduling/", include("obieg.scheduling.urls")),
    path("work/", include("obieg.engine.web.urls")),
    path("mail/", include("obieg.mail.urls")),
    path("notifications/", include("obieg.notifications.urls")),
    path("pv/", include("obieg.solutions.pv_installation.urls")),
    path("opinions/", include("obieg.solutions.expert_opinions.urls")),
    path("grants/", include("obieg.solutions.grants.urls")),
    path("salesforce/", include("obieg.solutions.pv_salesforce.urls")),
    path("data/", include("obieg.dataio.urls")),
    path("custom-fields/", include("obieg.customfields.urls")),
    path("catalogue/", include("obieg.catalogue.urls")),
    path("", include("obieg.web.urls")),
]
