"""Routes of the queue part; included by urls.py."""

from django.urls import path

from obieg.solutions.pv_salesforce import views_queue

urlpatterns: list = [
    path("calls/", views_queue.call_day, name="calls"),
    path("calls/<int:pk>/outcome/", views_queue.call_outcome, name="call_outcome"),
    path("queue/", views_queue.queue_list, name="queue"),
    path("queue/rules/", views_queue.rule_list, name="queue_rules"),
    path("queue/rescore/", views_queue.queue_rescore, name="queue_rescore"),
    path("queue/rebuild/", views_queue.schedules_rebuild, name="schedules_rebuild"),
]
