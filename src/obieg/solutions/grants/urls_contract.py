"""Routes of the grants solution (contract); included by urls.py."""

from django.urls import path

from obieg.solutions.grants import views_contract

urlpatterns = [
    path("new/", views_contract.project_new, name="project_new"),
    path("<int:pk>/schedule/", views_contract.schedule_edit, name="schedule_edit"),
    path("<int:pk>/signed-contract/", views_contract.scan_upload, name="scan_upload"),
    path("contract/<str:token>/", views_contract.contract_answer, name="contract_answer"),
]
