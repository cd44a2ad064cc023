"""URLs of the region pages and the mapping map (included by :mod:`.urls`, namespace ``web``)."""

from django.urls import path

from . import place_views

urlpatterns: list = [
    path("kartlegginger/<int:mapping_id>/kart.svg", place_views.mapping_map, name="mapping_map"),
    path(
        "kartlegginger/<int:mapping_id>/regioner/<slug:region>/",
        place_views.region_detail,
        name="region",
    ),
]
