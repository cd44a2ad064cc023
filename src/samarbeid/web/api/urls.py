"""``/api/``: the JSON API and its OpenAPI description (``/api/openapi.json``)."""

from django.urls import path, re_path

from . import views
from .schema import OpenApiView

app_name = "api"

MAPPING = "kartlegginger/<int:id>/"

urlpatterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    path("openapi.json", OpenApiView.as_view(), name="openapi"),
    path("kartlegginger/", views.MappingListView.as_view(), name="kartlegginger"),
    path(MAPPING, views.MappingDetailView.as_view(), name="kartlegging"),
    path(f"{MAPPING}ordninger/", views.ArrangementListView.as_view(), name="ordninger"),
    path(f"{MAPPING}ordninger/<path:ref>/", views.ArrangementDetailView.as_view(), name="ordning"),
    path(
        f"{MAPPING}kommuner/",
        views.MappingMunicipalityListView.as_view(),
        name="kartlegging-kommuner",
    ),
    path(
        f"{MAPPING}kommuner/<str:nummer>/",
        views.MappingMunicipalityDetailView.as_view(),
        name="kartlegging-kommune",
    ),
    path(f"{MAPPING}eksport.csv", views.ExportCsvView.as_view(), name="eksport-csv"),
    path(f"{MAPPING}eksport.xlsx", views.ExportXlsxView.as_view(), name="eksport-xlsx"),
    path(f"{MAPPING}eksport.json", views.ExportJsonView.as_view(), name="eksport-json"),
    path("kommuner/", views.ReferenceMunicipalityListView.as_view(), name="kommuner"),
    path("kommuner/<str:nummer>/", views.ReferenceMunicipalityDetailView.as_view(), name="kommune"),
    re_path(r"^[\s\S]*$", views.NotFoundView.as_view(), name="not-found"),  # even with \n
]
