"""``/api/kartlegginger/``: the mappings, and one mapping with its key figures and scope."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_view
from rest_framework import generics
from rest_framework.response import Response

from samarbeid.registry.models import MappingMunicipality
from samarbeid.web import queries

from ..common import COMMON_ERRORS, LIST_ERRORS, NOT_FOUND, ApiPolicy, ApiView, document
from ..serializers import mappings as s
from .shared import MAPPING_ID, _mapping


@extend_schema_view(
    get=document(
        summary="Kartlegginger",
        description="Alle kartlegginger, nyeste først.",
        responses={200: s.MappingSerializer(many=True), **LIST_ERRORS},
    )
)
class MappingListView(ApiPolicy, generics.ListAPIView):
    serializer_class = s.MappingSerializer

    def get_queryset(self):
        return queries.mappings_overview(self.request.user)


class MappingDetailView(ApiView):
    @document(
        summary="Én kartlegging",
        parameters=[MAPPING_ID],
        responses={200: s.MappingDetailSerializer, **COMMON_ERRORS, **NOT_FOUND},
    )
    def get(self, request, id: int):
        mapping = _mapping(id, request.user)
        figures = queries.key_figures(mapping)
        mapping.figures = figures
        mapping.n_total, mapping.n_counted, mapping.n_scope = (
            figures.total,
            figures.counted,
            figures.scope,
        )
        mapping.scope_entries = list(
            MappingMunicipality.objects.filter(mapping=mapping)
            .select_related("period", "region")
            .order_by("position", "period__name")
        )
        return Response(s.MappingDetailSerializer(mapping, context={"request": request}).data)
