"""Routes of the field part; included by urls.py."""

from django.urls import path

from obieg.solutions.pv_salesforce import views_field

urlpatterns = [
    path("field/", views_field.field_day, name="field_day"),
    path("field/all/", views_field.field_days, name="field_days"),
    path("field/all/replan/", views_field.field_replan, name="field_replan"),
    path("field/meetings/<int:pk>/outcome/", views_field.meeting_outcome, name="meeting_outcome"),
]
