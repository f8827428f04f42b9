"""Routes of the payment claims (namespace "grants"); included by urls.py."""

from django.urls import path

from obieg.solutions.grants import views_claims

urlpatterns = [
    path("claims/<int:pk>/", views_claims.claim_detail, name="claim"),
    path("claims/<int:pk>/expenses/", views_claims.expense_add, name="claim_expense_add"),
    path("claims/<int:pk>/import/", views_claims.claim_import_file, name="claim_import"),
    path("claims/<int:pk>/documents/", views_claims.claim_generate, name="claim_generate"),
    path("claims/<int:pk>/submit/", views_claims.claim_submit, name="claim_submit"),
    path("claims/<int:pk>/settle/", views_claims.claim_settle, name="claim_settle"),
    path("claims/expenses/<int:pk>/", views_claims.expense_edit, name="claim_expense_edit"),
    path(
        "claims/expenses/<int:pk>/remove/",
        views_claims.expense_remove,
        name="claim_expense_remove",
    ),
]
