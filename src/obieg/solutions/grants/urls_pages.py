"""Routes of the grants solution (pages); included by urls.py."""

from django.urls import path

from obieg.solutions.grants import feeds, views

urlpatterns: list = [
    path("", views.project_list, name="project_list"),
    path("<int:pk>/", views.project_detail, name="project"),
    path("<int:pk>/documents/", views.document_add, name="project_document_add"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("feed/<str:token>.ics", feeds.deadline_feed, name="deadline_feed"),
]
