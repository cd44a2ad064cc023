"""Place pages: the mapping (key figures and map), one municipality, one region.

They fetch through :mod:`.places` (and :mod:`.queries`) and render; no rules here.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from samarbeid.registry.models import Mapping
from samarbeid.registry.summary import municipality_summary

from . import places, queries
from .views import _crumbs


@require_safe
def mapping_detail(request: HttpRequest, mapping_id: int) -> HttpResponse:
    mapping = get_object_or_404(Mapping, pk=mapping_id)
    summary = municipality_summary(mapping)
    return render(
        request,
        "web/mapping.html",
        {
            "mapping": mapping,
            "figures": queries.key_figures(mapping, summary),
            "summary": summary,
            "crumbs": _crumbs(mapping),
        },
    )


@require_safe
def municipality_detail(request: HttpRequest, mapping_id: int, number: str) -> HttpResponse:
    mapping = get_object_or_404(Mapping, pk=mapping_id)
    period = places.municipality_in_mapping(mapping, number)
    if period is None:
        raise Http404(_("Kommune %(number)s er ikke med i kartleggingen.") % {"number": number})
    return render(
        request,
        "web/municipality.html",
        {
            "mapping": mapping,
            "overview": places.municipality_overview(mapping, period),
            "crumbs": _crumbs(mapping, ("", period.name)),
        },
    )
