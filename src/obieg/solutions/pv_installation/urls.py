from django.urls import path

from obieg.solutions.pv_installation import api, customer_views, public_lead, views

app_name = "pv"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("lead/", public_lead.lead_form, name="lead_form"),
    path("new/", views.new_lead, name="lead_new"),
    path("api/leads/", api.lead_api, name="lead_api"),
    path("c/<str:token>/", customer_views.customer_page, name="customer"),
    path("c/<str:token>/document.pdf", customer_views.customer_pdf, name="customer_pdf"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/upload/", views.project_upload, name="upload"),
    path("leads/<int:lead_id>/start/", views.start_from_lead, name="start_from_lead"),
]
