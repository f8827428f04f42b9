from django.urls import path

from obieg.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.product_list, name="product_list"),
    path("new/", views.product_create, name="product_create"),
    path("matches/", views.product_matches, name="product_matches"),
    path("<int:pk>/", views.product_detail, name="product_detail"),
    path("<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("<int:pk>/withdraw/", views.product_deactivate, name="product_deactivate"),
    path("<int:pk>/activate/", views.product_activate, name="product_activate"),
]
