"""Pages of the expert-opinions solution, under /opinions/ (namespace "expert_opinions")."""

from django.urls import path

from obieg.solutions.expert_opinions import views, views_register

app_name = "expert_opinions"

urlpatterns = [
    path("", views.inquiry_list, name="inquiry_list"),
    path("<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
    path("<int:pk>/steps/<int:item_pk>/", views.inquiry_task, name="inquiry_task"),
    path("<int:pk>/opinion/", views.opinion_upload, name="opinion_upload"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<int:meeting_pk>/outcome/", views.meeting_outcome, name="meeting_outcome"),
    path(
        "meetings/<int:meeting_pk>/inquiry/",
        views.inquiry_from_meeting,
        name="inquiry_from_meeting",
    ),
    path("experts/", views_register.expert_list, name="expert_list"),
    path("experts/new/", views_register.expert_edit, name="expert_create"),
    path("experts/<int:pk>/", views_register.expert_edit, name="expert_edit"),
    path("board/", views_register.board_page, name="board"),
    path("answer/<str:token>/", views_register.offer_answer, name="offer_answer"),
    path("answer/<str:token>/offer.pdf", views_register.offer_answer_pdf, name="offer_answer_pdf"),
]
