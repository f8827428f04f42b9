"""Calendar pages, included by the site at scheduling/ (namespace "scheduling")."""

from django.urls import path, re_path

from obieg.scheduling import feeds, views, views_crew_edit, views_crews, views_google

app_name = "scheduling"

# The same management actions for a crew's calendar and for one's own.
_owned = [
    ("feed/revoke/", views_crews.feed_revoke, "feed_revoke"),
    ("caldav/", views_crews.caldav_save, "caldav_save"),
    ("caldav/remove/", views_crews.caldav_remove, "caldav_remove"),
    ("sync/", views_crews.sync_now, "sync_now"),
    ("google/connect/", views_google.google_connect, "google_connect"),
    ("google/calendars/", views_google.google_calendars, "google_calendars"),
]

urlpatterns = [
    path("", views.planning, name="planning"),
    path("events.json", views.events_feed_json, name="events_json"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/move/", views.event_move, name="event_move"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("availability/", views_crews.availability_view, name="availability"),
    path("crews/", views_crews.crew_list, name="crew_list"),
    path("crews/new/", views_crew_edit.crew_create, name="crew_create"),
    path("crews/<int:pk>/", views_crews.crew_detail, name="crew_detail"),
    path("crews/<int:pk>/edit/", views_crew_edit.crew_edit, name="crew_edit"),
    path("crews/<int:pk>/delete/", views_crew_edit.crew_delete, name="crew_delete"),
    path("skills/", views_crew_edit.skill_list, name="skill_list"),
    path("skills/<int:pk>/", views_crew_edit.skill_edit, name="skill_edit"),
    path("google/callback/", views_google.google_callback, name="google_callback"),
    path("google/settings/", views_google.google_settings, name="google_settings"),
    path("me/", views_crews.my_calendar, name="my_calendar"),
    re_path(r"^feeds/(?P<token>[A-Za-z0-9_-]{20,64})\.ics$", feeds.feed, name="feed"),
    *[
        path(f"crews/<int:pk>/{suffix}", view, {"kind": "crew"}, name=f"crew_{name}")
        for suffix, view, name in _owned
    ],
    *[
        path(f"me/{suffix}", view, {"kind": "me"}, name=f"my_{name}")
        for suffix, view, name in _owned
    ],
]
