"""``/api/kostnadsdeling/``: the cost-sharing part of the JSON API.

Mounted under ``/api/`` before the registry's API, whose last route answers every address neither
has with a JSON 404. Its own namespace (not ``api``) keeps the draft guard of the mappings
(:mod:`samarbeid.web.access`) from reading anything here as a mapping's.
"""

from django.urls import path

from .views import CalculationView, FeeModelDetailView, FeeModelListView

app_name = "finance_api"

urlpatterns = [
    path("kostnadsdeling/modeller/", FeeModelListView.as_view(), name="modeller"),
    path("kostnadsdeling/modeller/<slug:slug>/", FeeModelDetailView.as_view(), name="modell"),
    path("kostnadsdeling/beregning/", CalculationView.as_view(), name="beregning"),
]
