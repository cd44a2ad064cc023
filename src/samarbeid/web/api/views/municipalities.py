"""``/api/kartlegginger/{id}/kommuner/``: the municipalities of a mapping, and one of them with
its arrangements."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_view
from rest_framework import generics
from rest_framework.response import Response

from samarbeid.web import derived, places

from ..common import COMMON_ERRORS, LIST_ERRORS, NOT_FOUND, ApiPolicy, ApiView, document
from ..serializers import municipalities as s
from .shared import MAPPING_ID, NUMBER, _mapping, _not_found


@extend_schema_view(
    get=document(
        summary="Kommunene i en kartlegging",
        description="Kommunene i omfanget med antall ordninger som telles, vertskap og ordninger "
        "der en annen kommune er vert; flest ordninger først.",
        parameters=[MAPPING_ID],
        responses={200: s.SummaryRowSerializer(many=True), **LIST_ERRORS},
    )
)
class MappingMunicipalityListView(ApiPolicy, generics.ListAPIView):
    serializer_class = s.SummaryRowSerializer

    def get_queryset(self):
        self.mapping = _mapping(self.kwargs["id"], self.request.user)
        return derived.summary(self.mapping).rows

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "mapping": self.mapping}


class MappingMunicipalityDetailView(ApiView):
    @document(
        summary="Én kommune i en kartlegging",
        description="Ordningene kommunen deltar i (med de andre deltakerne), de den er vertskommune "
        "for og de der en annen kommune er vert. Kommuner utenfor omfanget som deltar i eller er "
        "vert for en ordning, finnes også.",
        parameters=[MAPPING_ID, NUMBER],
        responses={200: s.MunicipalityOverviewSerializer, **COMMON_ERRORS, **NOT_FOUND},
    )
    def get(self, request, id: int, nummer: str):
        mapping = _mapping(id, request.user)
        period = places.municipality_in_mapping(mapping, nummer)
        if period is None:
            _not_found(f"Kommune {nummer} er ikke med i kartleggingen.")
        overview = places.municipality_overview(mapping, period)
        return Response(
            s.MunicipalityOverviewSerializer(overview, context={"request": request}).data
        )
