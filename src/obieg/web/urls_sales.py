"""Pages of the sales side: dashboard, leads, opportunities, offers, contracts."""

from django.urls import path

from obieg.web.views import (
    contracts,
    home,
    leads,
    offer_customer,
    offer_sending,
    offers,
    opportunities,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("leads/", leads.lead_list, name="lead_list"),
    path("leads/new/", leads.lead_create, name="lead_create"),
    path("leads/<int:pk>/", leads.lead_detail, name="lead_detail"),
    path("leads/<int:pk>/edit/", leads.lead_edit, name="lead_edit"),
    path("leads/<int:pk>/convert/", leads.lead_convert, name="lead_convert"),
    path("opportunities/", opportunities.opportunity_list, name="opportunity_list"),
    path(
        "opportunities/pipeline/", opportunities.opportunity_pipeline, name="opportunity_pipeline"
    ),
    path(
        "opportunities/pipeline/<str:stage>/",
        opportunities.opportunity_pipeline_cards,
        name="opportunity_pipeline_cards",
    ),
    path("opportunities/new/", opportunities.opportunity_create, name="opportunity_create"),
    path("opportunities/<int:pk>/", opportunities.opportunity_detail, name="opportunity_detail"),
    path("opportunities/<int:pk>/edit/", opportunities.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<int:pk>/move/", opportunities.opportunity_move, name="opportunity_move"),
    path("offers/", offers.offer_list, name="offer_list"),
    path("offers/new/", offers.offer_create, name="offer_create"),
    path("offers/<int:pk>/", offers.offer_detail, name="offer_detail"),
    path("offers/<int:pk>/edit/", offers.offer_edit, name="offer_edit"),
    path("offers/<int:pk>/revise/", offers.offer_revise, name="offer_revise"),
    path("offers/<int:pk>/status/", offers.offer_set_status, name="offer_set_status"),
    path("offers/<int:pk>/pdf/", offer_sending.offer_pdf, name="offer_pdf"),
    path("offers/<int:pk>/send/", offer_sending.offer_send, name="offer_send"),
    # The customer's page: no log-in, the signed token is the key.
    path("offer/<str:token>/", offer_customer.offer_customer, name="offer_customer"),
    path("offer/<str:token>/pdf/", offer_customer.offer_customer_pdf, name="offer_customer_pdf"),
    path("contracts/", contracts.contract_list, name="contract_list"),
    path("contracts/new/", contracts.contract_create, name="contract_create"),
    path("contracts/<int:pk>/", contracts.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", contracts.contract_edit, name="contract_edit"),
]
