"""Place pages: the mapping (key figures and map), one municipality, one region.

They fetch through :mod:`.places` (and :mod:`.queries`), draw maps with :mod:`.place_maps`, and
render; no rules here.
"""

from __future__ import annotations

import itertools
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from samarbeid.registry.models import COUNTED, Mapping
from samarbeid.registry.summary import SummaryTable

from . import access, derived, place_maps, places, queries
from .views import _crumbs

#: The method's size classes (analysis.model.SIZE_CLASSES) in words.
SIZE_WORDS = {
    "< 5 000": gettext_lazy("under 5 000"),
    "5 000–15 000": gettext_lazy("5 000–15 000"),
    "> 15 000": gettext_lazy("over 15 000"),
}
#: The map is a separate document: matplotlib's SVG styles itself with a <style> element and
#: style attributes, which the site's policy (style-src 'self') would block. It runs no script.
MAP_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def _map_text(summary: SummaryTable, absent: list[str]) -> str:
    """The map's text alternative: what it shows and its extremes (the table has every value)."""
    rows = summary.rows
    most = max(rows, key=lambda r: r.arrangements)
    least = min(rows, key=lambda r: r.arrangements)
    text = _(
        "Kart over de %(n)s kartlagte kommunene, farget etter antall ordninger som telles, med "
        "tallet skrevet i hver kommune. Flest: %(most)s (%(most_n)s); færrest: %(least)s "
        "(%(least_n)s). Nabokommuner utenfor kartleggingen er grå."
    ) % {
        "n": len(rows) - len(absent),
        "most": most.name,
        "most_n": most.arrangements,
        "least": least.name,
        "least_n": least.arrangements,
    }
    if absent:
        names = {r.number: r.name for r in rows}
        text += " " + _("Mangler i kartgrunnlaget: %(names)s.") % {
            "names": ", ".join(names.get(n, n) for n in absent)
        }
    return text


@require_safe
def mapping_detail(request: HttpRequest, mapping_id: int) -> HttpResponse:
    mapping = access.mapping_or_404(request.user, mapping_id)
    summary = derived.summary(mapping)
    entries = places.scope(mapping)
    regions = places.regions(entries)
    slugs = {r.name: r.slug for r in regions}
    base = (
        place_maps.base_map([e.number for e in entries], mapping.cutoff_date) if entries else None
    )
    return render(
        request,
        "web/mapping.html",
        {
            "mapping": mapping,
            "figures": queries.key_figures(mapping, summary),
            "summary": summary,
            "rows": [(row, slugs.get(row.region, "")) for row in summary.rows],
            "regions": regions,
            "map_text": _map_text(summary, list(base.absent)) if base else "",
            "crumbs": _crumbs(mapping),
        },
    )


@require_safe
def mapping_map(request: HttpRequest, mapping_id: int) -> HttpResponse:
    """The mapping page's map as an SVG image (made once per registry generation)."""
    mapping = access.mapping_or_404(request.user, mapping_id)
    svg, version = place_maps.mapping_map_svg(mapping)
    if not svg:
        raise Http404(_("Kartleggingen har ingen kommuner med kartgrunnlag."))
    etag = f'"{version}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
        response.headers["ETag"] = etag
    response.headers["Content-Security-Policy"] = MAP_CSP
    patch_cache_control(response, no_cache=True)
    return response


def _partner_rows(
    mapping: Mapping, number: str, facts: places.PlaceFacts, names: dict[str, str]
) -> list[dict[str, Any]]:
    """The partners, each with its region and the address of the list of the counted
    arrangements it shares with the municipality (``names``: the participant names the list's
    filter knows)."""
    base = reverse("web:arrangements", args=[mapping.pk])
    rows = []
    for partner in facts.municipalities[number].partners:
        query = {
            "kommune": number,
            "deltaker": names.get(partner.number, partner.name),
            "status": COUNTED,
        }
        rows.append(
            {
                "partner": partner,
                "region": facts.municipalities[partner.number].region,
                "url": f"{base}?{urlencode(query)}",
            }
        )
    return rows


def _municipality_places(mapping: Mapping, overview: places.MunicipalityOverview) -> dict[str, Any]:
    """The sections that need the analysis: size class, partners, network, the maps."""
    number = overview.period.number
    entries = places.scope(mapping)
    facts = places.place_facts(mapping)
    own = facts.municipalities.get(number)
    if own is None:
        return {}
    names = {n: f.name for n, f in facts.municipalities.items()}
    region = next((r for r in places.regions(entries) if r.name == own.region), None)
    community = facts.communities.get(own.community, [])
    base = place_maps.base_map([e.number for e in entries], mapping.cutoff_date)
    region_numbers = facts.regions[own.region].numbers if own.region in facts.regions else []
    return {
        "facts": facts,
        "own": own,
        "region_link": region,
        "size_class": next((c for c in facts.size_classes if c.label == own.size_class), None),
        "partner_rows": _partner_rows(mapping, number, facts, {e.number: e.name for e in entries}),
        "size_words": SIZE_WORDS.get(own.size_class, own.size_class),
        "community": [facts.municipalities[n] for n in community if n != number],
        "position_map": base
        and place_maps.position_map(base, number, own.region, region_numbers, names),
        "network_map": base and place_maps.network_map(base, own, community, names),
    }


@require_safe
def municipality_detail(request: HttpRequest, mapping_id: int, number: str) -> HttpResponse:
    mapping = access.mapping_or_404(request.user, mapping_id)
    period = places.municipality_in_mapping(mapping, number)
    if period is None:
        raise Http404(_("Kommune %(number)s er ikke med i kartleggingen.") % {"number": number})
    overview = places.municipality_overview(mapping, period)
    context = {
        "mapping": mapping,
        "overview": overview,
        "crumbs": _crumbs(mapping, ("", period.name)),
    }
    if overview.in_scope:
        context |= _municipality_places(mapping, overview)
    return render(request, "web/municipality.html", context)


@require_safe
def region_detail(request: HttpRequest, mapping_id: int, region: str) -> HttpResponse:
    mapping = access.mapping_or_404(request.user, mapping_id)
    entries = places.scope(mapping)
    link = next((r for r in places.regions(entries) if r.slug == region), None)
    if link is None:
        raise Http404(_("Kartleggingen har ingen region «%(region)s».") % {"region": region})
    facts = places.place_facts(mapping)
    found = facts.regions.get(link.name)
    if found is None:  # the scope changed between the two reads: as if not found
        raise Http404(_("Kartleggingen har ingen region «%(region)s».") % {"region": region})
    members = [facts.municipalities[n] for n in found.numbers]
    names = {n: f.name for n, f in facts.municipalities.items()}
    base = place_maps.base_map([e.number for e in entries], mapping.cutoff_date)
    arrangements = places.arrangement_names(mapping, found.inside + found.across + found.outside)
    populations = [m.population for m in members]

    levels = []
    for key, label, refs in (
        ("innad", _("Innad i regionen"), found.inside),
        ("andre-regioner", _("Med kommuner i andre regioner i kartleggingen"), found.across),
        ("utenfor", _("Med kommuner utenfor kartleggingen"), found.outside),
    ):
        wanted = set(refs)
        levels.append(
            {
                "id": key,
                "label": label,
                "arrangements": [(ref, name) for ref, name in arrangements if ref in wanted],
                "percent": round(100 * len(refs) / found.touching, 1) if found.touching else None,
            }
        )
    return render(
        request,
        "web/region.html",
        {
            "mapping": mapping,
            "region": found,
            "councils": list(
                itertools.zip_longest(
                    found.councils.split("; ") if found.councils else [],
                    found.council_forms.split("; ") if found.council_forms else [],
                    fillvalue="",
                )
            ),
            "link": link,
            "members": members,
            "population": None if None in populations else sum(populations),
            "mean": facts.mean,
            "levels": levels,
            "region_map": base and place_maps.region_map(base, link.name, found.numbers, names),
            "crumbs": _crumbs(mapping, ("", link.name)),
        },
    )
