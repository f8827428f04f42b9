"""Billing pages, included by the site at billing/ (namespace "billing")."""

from django.urls import path

from obieg.billing import views, views_contracts

app_name = "billing"

urlpatterns = [
    path("invoices/", views.invoice_list, name="invoice_list"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice_detail"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf_view, name="invoice_pdf"),
    path("invoices/<int:pk>/xml/", views.invoice_xml_view, name="invoice_xml"),
    path("invoices/<int:pk>/payments/new/", views.payment_create, name="payment_create"),
    path("issue-due/", views_contracts.issue_due, name="issue_due"),
    path("contracts/<int:pk>/", views_contracts.contract_billing, name="contract_billing"),
    path("contracts/<int:pk>/advance/", views_contracts.advance_create, name="advance_create"),
    path("contracts/<int:pk>/final/", views_contracts.final_create, name="final_create"),
    path(
        "contracts/<int:pk>/schedule/",
        views_contracts.schedule_item_create,
        name="schedule_item_create",
    ),
    path(
        "contracts/<int:pk>/schedule/<int:item_pk>/delete/",
        views_contracts.schedule_item_delete,
        name="schedule_item_delete",
    ),
]
