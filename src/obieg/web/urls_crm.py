"""Pages of accounts (with the customer 360°), contact persons, activities and documents."""

from django.urls import path

from obieg.web.views import account_merge, accounts, activities, contacts, documents, search
from obieg.web.views import reports as report_views

urlpatterns = [
    path("search/", search.search, name="global_search"),
    path("reports/", report_views.report_index, name="report_index"),
    path("reports/<slug:key>/", report_views.report_page, name="report_page"),
    path("reports/<slug:key>/export/", report_views.report_export, name="report_export"),
    path("accounts/", accounts.account_list, name="account_list"),
    path("accounts/new/", accounts.account_create, name="account_create"),
    path("accounts/<int:pk>/", accounts.account_detail, name="account_detail"),
    path("accounts/<int:pk>/edit/", accounts.account_edit, name="account_edit"),
    path("accounts/<int:pk>/delete/", accounts.account_delete, name="account_delete"),
    path("accounts/<int:pk>/activities/", accounts.account_activities, name="account_activities"),
    path("accounts/<int:pk>/more/<str:kind>/", accounts.account_section, name="account_section"),
    path("accounts/<int:pk>/merge/", account_merge.account_merge_pick, name="account_merge"),
    path(
        "accounts/<int:pk>/merge/<int:other>/",
        account_merge.account_merge_compare,
        name="account_merge_compare",
    ),
    path("accounts/<int:pk>/contacts/new/", contacts.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", contacts.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", contacts.contact_delete, name="contact_delete"),
    path("accounts/<int:pk>/activities/new/", activities.activity_create, name="activity_create"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/done/", activities.activity_mark_done, name="activity_mark_done"),
    path("activities/<int:pk>/delete/", activities.activity_delete, name="activity_delete"),
    path("documents/", documents.document_list, name="document_list"),
    path("accounts/<int:pk>/documents/new/", documents.document_upload, name="document_upload"),
    path("documents/<int:pk>/", documents.document_detail, name="document_detail"),
    path(
        "documents/<int:pk>/versions/new/",
        documents.document_version_upload,
        name="document_version_upload",
    ),
    path(
        "documents/<int:pk>/v/<int:number>/",
        documents.document_version_download,
        name="document_version_download",
    ),
]
