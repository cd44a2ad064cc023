"""What the resource views share: the path parameters as the description names them, and the
lookups that answer 404 (a draft mapping is not found without a role for it)."""

from __future__ import annotations

import rules
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from samarbeid.registry.models import Mapping

MAPPING_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Kartleggingens id"
)
REF = OpenApiParameter(
    "ref", OpenApiTypes.STR, OpenApiParameter.PATH, description="Ordningens id i filen"
)
NUMBER = OpenApiParameter(
    "nummer",
    {"type": "string", "pattern": "^[0-9]{4}$"},
    OpenApiParameter.PATH,
    description="Kommunenummer (fire sifre)",
)


def _mapping(mapping_id: int, user) -> Mapping:
    """The mapping if the caller may read it (a draft needs a role for it), else 404."""
    mapping = Mapping.objects.filter(pk=mapping_id).first()
    if mapping is None or not rules.has_perm("registry.view_mapping", user, mapping):
        raise Http404(f"Fant ingen kartlegging med nummer {mapping_id}.")
    return mapping


def _not_found(message: str):
    raise Http404(message)
