"""``/api/``: the JSON API and its OpenAPI description (``/api/openapi.json``)."""

from django.urls import path, re_path

from .schema import OpenApiView
from .views import arrangements, exports, mappings, municipalities, reference, root

app_name = "api"

MAPPING = "kartlegginger/<int:id>/"

urlpatterns = [
    path("", root.ApiRootView.as_view(), name="root"),
    path("openapi.json", OpenApiView.as_view(), name="openapi"),
    path("kartlegginger/", mappings.MappingListView.as_view(), name="kartlegginger"),
    path(MAPPING, mappings.MappingDetailView.as_view(), name="kartlegging"),
    path(f"{MAPPING}ordninger/", arrangements.ArrangementListView.as_view(), name="ordninger"),
    path(
        f"{MAPPING}ordninger/<path:ref>/",
        arrangements.ArrangementDetailView.as_view(),
        name="ordning",
    ),
    path(
        f"{MAPPING}kommuner/",
        municipalities.MappingMunicipalityListView.as_view(),
        name="kartlegging-kommuner",
    ),
    path(
        f"{MAPPING}kommuner/<str:nummer>/",
        municipalities.MappingMunicipalityDetailView.as_view(),
        name="kartlegging-kommune",
    ),
    path(f"{MAPPING}eksport.csv", exports.ExportCsvView.as_view(), name="eksport-csv"),
    path(f"{MAPPING}eksport.xlsx", exports.ExportXlsxView.as_view(), name="eksport-xlsx"),
    path(f"{MAPPING}eksport.json", exports.ExportJsonView.as_view(), name="eksport-json"),
    path("kommuner/", reference.ReferenceMunicipalityListView.as_view(), name="kommuner"),
    path(
        "kommuner/<str:nummer>/",
        reference.ReferenceMunicipalityDetailView.as_view(),
        name="kommune",
    ),
    re_path(r"^[\s\S]*$", root.NotFoundView.as_view(), name="not-found"),  # even with \n
]
