from django.urls import path

from obieg.customfields import views

app_name = "customfields"
urlpatterns = [
    path("", views.field_list, name="field_list"),
    path("new/", views.field_create, name="field_create"),
    path("<int:pk>/edit/", views.field_edit, name="field_edit"),
    path("<int:pk>/deactivate/", views.field_deactivate, name="field_deactivate"),
    path("<int:pk>/activate/", views.field_activate, name="field_activate"),
]
