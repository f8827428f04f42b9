from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from obieg.api.errors import not_found
from obieg.api.routers import RecordRouter
from obieg.api.views.accounts import AccountViewSet, ContactViewSet
from obieg.api.views.activities import ActivityViewSet
from obieg.api.views.contracts import ContractViewSet
from obieg.api.views.documents import DocumentViewSet
from obieg.api.views.leads import LeadViewSet
from obieg.api.views.me import MeView
from obieg.api.views.offers import OfferViewSet
from obieg.api.views.opportunities import OpportunityViewSet

router = RecordRouter()
router.register("accounts", AccountViewSet, basename="account")
router.register("contacts", ContactViewSet, basename="contact")
router.register("activities", ActivityViewSet, basename="activity")
router.register("leads", LeadViewSet, basename="lead")
router.register("opportunities", OpportunityViewSet, basename="opportunity")
router.register("offers", OfferViewSet, basename="offer")
router.register("contracts", ContractViewSet, basename="contract")
router.register("documents", DocumentViewSet, basename="document")

# Records live in the "api" namespace, apart from the web pages' URL names;
# schema and docs keep the names the web navigation links to.
records = [path("me/", MeView.as_view(), name="me"), *router.urls]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: no inline script for the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include((records, "api"))),
]

urlpatterns += [path("billing/", include("obieg.billing.api_urls"))]
urlpatterns += [path("scheduling/", include("obieg.scheduling.api_urls"))]
urlpatterns += [path("engine/", include("obieg.engine.api.urls"))]
urlpatterns += [path("catalogue/", include("obieg.catalogue.api_urls"))]
# Last: any other path under /api/ is a JSON 404, never the HTML page.
urlpatterns += [re_path(r"^[\s\S]*\Z", not_found, name="api-not-found")]
