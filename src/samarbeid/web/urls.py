from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.front, name="front"),
    path("kartlegginger/<int:mapping_id>/", views.mapping_detail, name="mapping"),
    path("kartlegginger/<int:mapping_id>/ordninger/", views.arrangement_list, name="arrangements"),
    path(
        "kartlegginger/<int:mapping_id>/ordninger/<path:ref>/",
        views.arrangement_detail,
        name="arrangement",
    ),
    path(
        "kartlegginger/<int:mapping_id>/kommuner/<str:number>/",
        views.municipality_detail,
        name="municipality",
    ),
]
