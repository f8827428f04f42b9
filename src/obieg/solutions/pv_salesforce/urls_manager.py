"""Routes of the manager's view and settings pages; included by urls.py."""

from django.urls import path

from obieg.solutions.pv_salesforce import views_absences, views_manager, views_settings

urlpatterns = [
    path("manager/", views_manager.manager_view, name="manager"),
    path("manager/calls/", views_manager.manager_calls, name="manager_calls"),
    path("manager/calls/<int:pk>/move/", views_manager.call_reassign, name="manager_call_move"),
    path("manager/visits/", views_manager.manager_meetings, name="manager_meetings"),
    path(
        "manager/visits/<int:pk>/move/",
        views_manager.meeting_reassign,
        name="manager_meeting_move",
    ),
    path("manager/rebalance/", views_manager.rebalance, name="manager_rebalance"),
    path("manager/settings/phone/", views_settings.phone_list, name="settings_phone"),
    path(
        "manager/settings/phone/<int:user_id>/",
        views_settings.phone_seller,
        name="settings_phone_seller",
    ),
    path("manager/settings/field/", views_settings.field_list, name="settings_field"),
    path(
        "manager/settings/field/<int:user_id>/",
        views_settings.field_person,
        name="settings_field_person",
    ),
    path(
        "manager/settings/absences/<int:pk>/",
        views_absences.absence_change,
        name="settings_absence",
    ),
    path(
        "manager/settings/absences/<int:pk>/delete/",
        views_absences.absence_delete,
        name="settings_absence_delete",
    ),
]
