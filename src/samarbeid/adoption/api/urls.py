"""``/api/utbredelse/``: the adoption register's part of the JSON API.

Mounted under ``/api/`` before the registry's API, whose last route answers every address neither
has with a JSON 404. Its own namespace (not ``api``) keeps the draft guard of the mappings
(:mod:`samarbeid.web.access`) from reading a solution's ``id`` as a mapping's.
"""

from django.urls import path

from .views import (
    AdoptionTableView,
    MunicipalityView,
    SolutionDetailView,
    SolutionListView,
    StatusView,
)

app_name = "adoption_api"

urlpatterns = [
    path("utbredelse/", AdoptionTableView.as_view(), name="utbredelse"),
    path("utbredelse/losninger/", SolutionListView.as_view(), name="losninger"),
    path("utbredelse/losninger/<int:id>/", SolutionDetailView.as_view(), name="losning"),
    path("utbredelse/kommuner/<str:nummer>/", MunicipalityView.as_view(), name="kommune"),
    path("utbredelse/status/", StatusView.as_view(), name="status"),
]
