"""Queries behind the place pages: one municipality in a mapping (analysis 13 of the method, its
hosts, partners and network), a region, and the mapping's map. The views only pick and render.

Counting follows the registry (nivi-method.md §1): only arrangements with status ``telles`` count;
"hosted" and "served by others" need a known host. Unknown stays unknown.

The figures that need the analysis (size classes, the network, the regional portraits) come from
:func:`place_facts`: the analysis functions run once per mapping and registry generation
(:func:`~samarbeid.web.page_cache.generation`) and the little the pages show is kept in Django's
cache, so a page view never runs the whole analysis. The maps: the mapping's choropleth is
:func:`samarbeid.reports.maps.choropleth` (an SVG file, cached the same way); the small maps of
the municipality and region pages are plain SVG drawn from the same boundaries and projection
(:func:`base_map`, kept per scope), with presentation attributes only, as the site's
Content-Security-Policy allows no inline styles.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.cache import caches
from django.db.models import Q
from django.utils.translation import gettext as _

from samarbeid.analysis.model import MappingData
from samarbeid.registry.models import (
    Arrangement,
    Mapping,
    MappingMunicipality,
    Membership,
    MunicipalityPeriod,
    Population,
)
from samarbeid.reports.fmt import slug

from .page_cache import generation
from .queries import COUNTED, _mapping_periods

# --- One municipality in a mapping --------------------------------------------------------------


def municipality_in_mapping(mapping: Mapping, number: str) -> MunicipalityPeriod | None:
    """The municipality with this number in the mapping: in its scope, else a participant or host."""
    entry = (
        MappingMunicipality.objects.filter(mapping=mapping, period__number=number)
        .select_related("period", "period__county")
        .first()
    )
    if entry is not None:
        return entry.period
    return (
        _mapping_periods(mapping)
        .filter(number=number)
        .select_related("county")
        .order_by("-valid_from")
        .first()
    )


@dataclass
class MunicipalityRow:
    arrangement: Arrangement
    others: list[str]


@dataclass
class MunicipalityOverview:
    period: MunicipalityPeriod
    in_scope: bool
    region: str
    population: int | None
    population_year: int
    counted: list[MunicipalityRow]
    not_counted: list[MunicipalityRow]
    hosted: list[Arrangement]
    served_by_others: list[Arrangement]
    host_unknown: int


def _co_participants(arrangements: Q, entity: int) -> dict[int, list[str]]:
    """Per arrangement id: the names of its participants other than the municipality ``entity``,
    in the file's order. One query of plain values: no Membership objects are built (the largest
    municipality of the national benchmark takes part with 4 600 others in all)."""
    rows = (
        Membership.objects.filter(arrangements)
        .order_by("arrangement_id", "position", "id")
        .values_list(
            "arrangement_id",
            "municipality__municipality_id",
            "municipality__name",
            "county__name",
            "other_name",
        )
    )
    others: dict[int, list[str]] = {}
    for arrangement_id, member_entity, name, county, other in rows:
        if member_entity == entity:
            continue
        others.setdefault(arrangement_id, []).append(name or county or other)
    return others


def municipality_overview(mapping: Mapping, period: MunicipalityPeriod) -> MunicipalityOverview:
    """Analysis 13 of the method for one municipality: every arrangement it takes part in, with
    the co-participants, legal form, host, year and staff-years; what it hosts; who serves it."""
    entity = period.municipality_id
    scope_entry = (
        MappingMunicipality.objects.filter(mapping=mapping, period=period)
        .select_related("region")
        .first()
    )
    taking_part_ids = Arrangement.objects.filter(
        mapping=mapping, memberships__municipality__municipality=entity
    ).values("id")
    taking_part = (
        Arrangement.objects.filter(id__in=taking_part_ids)
        .select_related("host")
        .order_by("position", "id")
    )
    others = _co_participants(Q(arrangement_id__in=taking_part_ids), entity)
    counted: list[MunicipalityRow] = []
    not_counted: list[MunicipalityRow] = []
    served: list[Arrangement] = []
    host_unknown = 0
    for arrangement in taking_part:
        row = MunicipalityRow(arrangement, others.get(arrangement.id, []))
        if arrangement.status != COUNTED:
            not_counted.append(row)
            continue
        counted.append(row)
        if arrangement.host_id is None:
            host_unknown += arrangement.host_status == ""
        elif arrangement.host.municipality_id != entity:
            served.append(arrangement)
    hosted = list(
        Arrangement.objects.filter(
            mapping=mapping, status=COUNTED, host__municipality_id=entity
        ).order_by("position", "id")
    )
    year = mapping.cutoff_date.year
    population = (
        Population.objects.filter(municipality_id=entity, year=year)
        .values_list("population", flat=True)
        .first()
    )
    return MunicipalityOverview(
        period=period,
        in_scope=scope_entry is not None,
        region=scope_entry.region.name if scope_entry and scope_entry.region else "",
        population=population,
        population_year=year,
        counted=counted,
        not_counted=not_counted,
        hosted=hosted,
        served_by_others=served,
        host_unknown=host_unknown,
    )


# --- Scope and regions --------------------------------------------------------------------------


@dataclass(frozen=True)
class ScopeEntry:
    number: str
    name: str
    region: str


def scope(mapping: Mapping) -> list[ScopeEntry]:
    """The mapped municipalities in the mapping's order (the order the analysis uses)."""
    rows = (
        MappingMunicipality.objects.filter(mapping=mapping)
        .order_by("position", "id")
        .values_list("period__number", "period__name", "region__name")
    )
    return [ScopeEntry(number, name, region or "") for number, name, region in rows]


@dataclass(frozen=True)
class RegionLink:
    name: str
    slug: str
    municipalities: int


def regions(entries: list[ScopeEntry]) -> list[RegionLink]:
    """The regions of a scope in order of first appearance, each with a slug unique in the
    mapping ("Øvre Numedal" -> "ovre-numedal"); none when the mapping has no regions."""
    counts: dict[str, int] = {}
    for entry in entries:
        if entry.region:
            counts[entry.region] = counts.get(entry.region, 0) + 1
    links: list[RegionLink] = []
    used: set[str] = set()
    for name, n in counts.items():
        base = candidate = slug(name)
        suffix = 2
        while candidate in used:
            candidate, suffix = f"{base}-{suffix}", suffix + 1
        used.add(candidate)
        links.append(RegionLink(name, candidate, n))
    return links


# --- What the pages need from the analysis ------------------------------------------------------

#: Partners kept per municipality (the strongest ties first).
TOP_PARTNERS = 10
FACTS_TIMEOUT_S = 24 * 60 * 60
#: Part of the cache key: a new layout of the facts must not meet pickles of an old one.
FACTS_VERSION = 1


@dataclass
class Partner:
    number: str
    name: str
    shared: int  # counted arrangements both take part in
    share: float  # percent of the municipality's ties (network.py, nettverk_naboandeler)


@dataclass
class MunicipalityFacts:
    number: str
    name: str
    region: str
    population: int | None
    size_class: str  # "" unknown
    arrangements: int
    partners: list[Partner]
    partner_count: int
    ties: int  # shared arrangements summed over all partners (the shares' denominator)
    community: int  # 0: in no community (no shared arrangement with another mapped municipality)


@dataclass
class SizeClass:
    label: str
    municipalities: int
    mean: float | None


@dataclass
class RegionFacts:
    name: str
    numbers: list[str]
    mean: float | None
    touching: int  # counted arrangements with at least one participant from the region
    inside: list[str]  # refs: every municipal participant is in the region
    across: list[str]  # refs: with other mapped municipalities only
    outside: list[str]  # refs: with at least one municipality outside the mapped area
    councils: str
    council_forms: str
    clusters: str


@dataclass
class PlaceFacts:
    municipalities: dict[str, MunicipalityFacts]  # by number, in the scope's order
    size_classes: list[SizeClass]
    size_class_note: str
    mean: float | None
    communities: dict[int, list[str]]  # community number -> municipality numbers
    community_method: str  # how the communities were found
    network_note: str  # arrangements left out of the network (too many participants), or ""
    regions: dict[str, RegionFacts] = field(default_factory=dict)


def place_facts(mapping: Mapping) -> PlaceFacts:
    """The facts of :func:`build_facts`, computed once per mapping and registry generation."""
    stamp = hashlib.sha256(generation().encode()).hexdigest()[:16]
    key = f"steder:{FACTS_VERSION}:{mapping.pk}:{stamp}"
    cache = caches["default"]
    facts = cache.get(key)
    if facts is None:
        from samarbeid.registry.snapshot import mapping_data

        facts = build_facts(mapping_data(mapping))
        cache.set(key, facts, FACTS_TIMEOUT_S)
    return facts


def build_facts(data: MappingData) -> PlaceFacts:
    """The place pages' share of the analysis: arrangements per municipality and size class
    (analysis 3), the network's partners and communities, and the regional portraits (11)."""
    from samarbeid.analysis import extent, network

    scope = data.municipalities
    number_of = dict(zip(map(str, scope["entity"]), map(str, scope["number"]), strict=True))
    by_name = dict(zip(map(str, scope["name"]), map(str, scope["number"]), strict=True))
    info = {
        str(n): (str(r), str(c))
        for n, r, c in zip(scope["number"], scope["region"], scope["size_class"], strict=True)
    }
    _pairs, community_table, shares_table = network.network_tables(data)
    communities = {
        int(row[0]): [by_name[name] for name in str(row[1]).split(", ") if name in by_name]
        for row in community_table.rows
    }
    community_of = {n: c for c, numbers in communities.items() for n in numbers}
    partners = _partners(network.graph(data), number_of)
    municipalities = {}
    for number, name, population, count, *_hosting in extent.per_municipality(data).rows:
        ties = partners.get(number, [])
        municipalities[number] = MunicipalityFacts(
            number=number,
            name=name,
            region=info[number][0],
            population=population,
            size_class=info[number][1],
            arrangements=int(count),
            partners=ties[:TOP_PARTNERS],
            partner_count=len(ties),
            ties=sum(p.shared for p in ties),
            community=community_of.get(number, 0),
        )
    order = {str(n): i for i, n in enumerate(scope["number"])}
    municipalities = dict(sorted(municipalities.items(), key=lambda kv: order[kv[0]]))
    sizes = extent.size_classes(data)
    counts = [m.arrangements for m in municipalities.values()]
    return PlaceFacts(
        municipalities=municipalities,
        size_classes=[SizeClass(str(c), int(k), m) for c, k, m in sizes.rows],
        size_class_note=sizes.note,
        mean=round(sum(counts) / len(counts), 1) if counts else None,
        communities=communities,
        community_method=community_table.note.split(". ")[0].rstrip(".") + ".",
        network_note=shares_table.note,
        regions=_region_facts(data),
    )


def _partners(graph, number_of: dict[str, str]) -> dict[str, list[Partner]]:
    """Every municipality's partners in the network, strongest first (ties by name, as in
    :mod:`samarbeid.analysis.network`), with the share of its ties: weight / sum of weights."""
    from samarbeid.analysis.overview import nb_key

    out: dict[str, list[Partner]] = {}
    for node in graph.nodes:
        edges = [(other, int(w)) for _, other, w in graph.edges(node, data="weight")]
        total = sum(w for _, w in edges)
        edges.sort(key=lambda e: (-e[1], nb_key(graph.nodes[e[0]]["name"])))
        out[number_of[node]] = [
            Partner(
                number_of[other],
                graph.nodes[other]["name"],
                w,
                round(100.0 * w / total, 1),
            )
            for other, w in edges
        ]
    return out


def _region_facts(data: MappingData) -> dict[str, RegionFacts]:
    """Per region: the portrait (analysis 11) and the mean per municipality (analysis 3), and
    the arrangements with others split into those within the mapped area and the rest."""
    from samarbeid.analysis import extent, regions

    scope = data.municipalities
    region_of = {str(e): str(r) for e, r in zip(scope["entity"], scope["region"], strict=True)}
    numbers: dict[str, list[str]] = {}
    for number, region in zip(scope["number"], scope["region"], strict=True):
        if region:
            numbers.setdefault(str(region), []).append(str(number))
    members = data.counted_memberships()
    members = members[(members["kind"] == "kommune") & (members["entity"] != "")]
    participants: dict[str, set[str]] = {}
    for ref, entity in zip(members["ref"], members["entity"], strict=True):
        participants.setdefault(str(ref), set()).add(str(entity))
    per_region = {str(row[0]): row for row in extent.per_region(data).rows}
    portraits = regions.regional_portraits(data)
    out: dict[str, RegionFacts] = {}
    for row, refs in zip(portraits.rows, portraits.ids, strict=True):
        name = str(row[0])
        inside, across, outside = [], [], []
        for ref in refs:
            homes = {region_of.get(e) for e in participants.get(ref, ())}
            if homes == {name}:
                inside.append(ref)
            elif None in homes:
                outside.append(ref)
            else:
                across.append(ref)
        out[name] = RegionFacts(
            name=name,
            numbers=numbers.get(name, []),
            mean=per_region[name][2] if name in per_region else None,
            touching=int(per_region[name][3]) if name in per_region else len(refs),
            inside=inside,
            across=across,
            outside=outside,
            councils=str(row[2]),
            council_forms=str(row[3]),
            clusters=str(row[6]),
        )
    return out


def arrangement_names(mapping: Mapping, refs: list[str]) -> list[tuple[str, str]]:
    """(ref, name) of the given arrangements, in the file's order (a long list of refs reads
    the mapping's names rather than growing one SQL parameter per ref)."""
    rows = Arrangement.objects.filter(mapping=mapping).order_by("position", "id")
    if len(refs) <= 500:
        rows = rows.filter(ref__in=refs)
    wanted = set(refs)
    return [(ref, name) for ref, name in rows.values_list("ref", "name") if ref in wanted]


# --- Maps ---------------------------------------------------------------------------------------

#: Width of the small maps in SVG user units (about CSS pixels at their largest); outlines keep
#: about one vertex per 1/MAP_DETAIL of the width, in whole units.
MAP_WIDTH = 400
MAP_DETAIL = 130
HIGHLIGHT = "#08306b"  # this municipality, this region
RELATED = "#4292c6"  # its region, its community: 3.5:1 against the other municipalities' white
MAPPED = "#ffffff"
MAPPED_EDGE = "#6f6f6f"
NEIGHBOUR = "#e6e6e6"  # outside the mapping, for context (as on the report's map)
TIE = "#c2410c"
#: Partners labelled on the network map (every partner has a line).
LABELLED_PARTNERS = 5


@dataclass(frozen=True)
class MapShape:
    number: str
    name: str
    d: str  # SVG path data
    inside: bool  # in the mapping's scope (else a neighbour drawn for context)
    x: float  # label point
    y: float


@dataclass(frozen=True)
class BaseMap:
    width: int
    height: int
    shapes: tuple[MapShape, ...]
    absent: tuple[str, ...]  # scope numbers without a boundary in the file

    def shape(self, number: str) -> MapShape | None:
        return next((s for s in self.shapes if s.inside and s.number == number), None)


def base_map(numbers: list[str], cutoff) -> BaseMap | None:
    """The mapped area of :func:`samarbeid.reports.maps.choropleth` (same boundary file,
    projection and frame) as SVG path data; None when no municipality has a boundary."""
    from samarbeid.reports import maps

    return _base_map(tuple(numbers), maps.boundary_file(cutoff))


@lru_cache(maxsize=16)
def _base_map(numbers: tuple[str, ...], filename: str) -> BaseMap | None:
    from matplotlib.transforms import Bbox

    from samarbeid.reports import maps

    shapes = maps.load_shapes(filename)
    inside = [shapes[n] for n in numbers if n in shapes]
    if not inside:
        return None
    scale = maps.projection_scale(inside)
    lon0, lat0 = min(s.bbox[0] for s in inside), min(s.bbox[1] for s in inside)
    lon1, lat1 = max(s.bbox[2] for s in inside), max(s.bbox[3] for s in inside)
    pad_x, pad_y = (lon1 - lon0) * 0.04, (lat1 - lat0) * 0.04
    view = (lon0 - pad_x, lat0 - pad_y, lon1 + pad_x, lat1 + pad_y)
    k = MAP_WIDTH / ((view[2] - view[0]) * scale)
    tolerance = (view[2] - view[0]) * scale / MAP_DETAIL
    frame = Bbox([[view[0] * scale, view[1]], [view[2] * scale, view[3]]])

    def project(x: float, y: float) -> tuple[float, float]:
        return round((x - view[0] * scale) * k, 1), round((view[3] - y) * k, 1)

    def outline(shape, clip: bool) -> str:
        path = maps._path(shape, scale, tolerance, view if clip else None)
        if clip:  # neighbours: only the part inside the frame
            path = path.clip_to_bbox(frame)
        return _path_data(path.vertices, path.codes, view[0] * scale, view[3], k)

    wanted = set(numbers)
    drawn = [
        MapShape(s.number, s.name, outline(s, True), False, 0.0, 0.0)
        for number, s in sorted(shapes.items())
        if number not in wanted and maps.in_view(s, view)
    ]
    for s in inside:
        drawn.append(
            MapShape(
                s.number,
                s.name,
                outline(s, False),
                True,
                *project(*maps._label_point(s.outer, scale)),
            )
        )
    height = round((view[3] - view[1]) * k)
    return BaseMap(MAP_WIDTH, height, tuple(drawn), tuple(n for n in numbers if n not in shapes))


def _path_data(vertices, codes, x0: float, y1: float, k: float) -> str:
    """Matplotlib path vertices (projected lon, lat) as compact SVG path data: whole units,
    each ring as its first point and then relative steps (``M12 40l3 -1 2 0…z``)."""
    import numpy as np

    if codes is None or not len(vertices):
        return ""
    points = np.rint(np.column_stack(((vertices[:, 0] - x0) * k, (y1 - vertices[:, 1]) * k)))
    starts = [*np.flatnonzero(codes == 1).tolist(), len(codes)]
    rings = []
    for start, end in itertools.pairwise(starts):
        ring = points[start:end]
        steps = np.diff(ring, axis=0)
        steps = steps[(steps != 0).any(axis=1)].astype(int).tolist()
        if len(steps) < 2:
            continue
        x, y = int(ring[0][0]), int(ring[0][1])
        rings.append(f"M{x} {y}l" + " ".join(f"{dx} {dy}" for dx, dy in steps) + "z")
    return "".join(rings)


@dataclass(frozen=True)
class MapArea:
    d: str
    fill: str
    edge: str
    title: str  # the municipality's name (a tooltip); "" for the neighbours


@dataclass(frozen=True)
class MapLine:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float


@dataclass(frozen=True)
class MapLabel:
    x: float
    y: float
    text: str


@dataclass
class MapFigure:
    """What ``web/_map.html`` draws: areas, lines and labels, and the figure's text alternative."""

    width: int
    height: int
    description: str
    areas: list[MapArea]
    lines: list[MapLine] = field(default_factory=list)
    labels: list[MapLabel] = field(default_factory=list)


def _figure(
    base: BaseMap, fills: dict[str, str], labels: dict[str, str], description: str
) -> MapFigure:
    """The base map with the given municipalities filled and labelled (highlighted ones drawn
    last, so their outline is whole)."""
    areas = [MapArea(s.d, NEIGHBOUR, "#ffffff", "") for s in base.shapes if not s.inside]
    inside = sorted((s for s in base.shapes if s.inside), key=lambda s: s.number in fills)
    areas += [MapArea(s.d, fills.get(s.number, MAPPED), MAPPED_EDGE, s.name) for s in inside]
    placed = [
        MapLabel(shape.x, shape.y, text)
        for number, text in labels.items()
        if (shape := base.shape(number)) is not None
    ]
    return MapFigure(base.width, base.height, description, areas, labels=placed)


def _names(numbers: list[str], names: dict[str, str]) -> str:
    return ", ".join(names.get(n, n) for n in numbers)


def position_map(
    base: BaseMap, number: str, region: str, region_numbers: list[str], names: dict[str, str]
) -> MapFigure | None:
    """The mapped area with this municipality (dark) and the rest of its region (medium)."""
    if base.shape(number) is None:
        return None
    others = [n for n in region_numbers if n != number and base.shape(n)]
    fills = {n: RELATED for n in others} | {number: HIGHLIGHT}
    inside = sum(s.inside for s in base.shapes)
    text = _("Kart over de %(n)s kartlagte kommunene med %(name)s markert i mørk blå.") % {
        "n": inside,
        "name": names.get(number, number),
    }
    if others:
        text += " " + _("De andre kommunene i %(region)s er mellomblå: %(names)s.") % {
            "region": region,
            "names": _names(others, names),
        }
    text += " " + _("Nabokommuner utenfor kartleggingen er grå.")
    return _figure(base, fills, {number: names.get(number, number)}, text)


def network_map(
    base: BaseMap, facts: MunicipalityFacts, community: list[str], names: dict[str, str]
) -> MapFigure | None:
    """Lines from the municipality to its strongest partners (width by shared arrangements),
    with its community (medium) around it."""
    ego = base.shape(facts.number)
    partners = [p for p in facts.partners if base.shape(p.number)]
    if ego is None or not partners:
        return None
    fills = {n: RELATED for n in community} | {facts.number: HIGHLIGHT}
    labels = {facts.number: facts.name} | {
        p.number: f"{p.name} {p.shared}" for p in partners[:LABELLED_PARTNERS]
    }
    text = _(
        "Kart med linjer fra %(name)s til de %(n)s kommunene den har flest felles ordninger med; "
        "jo tykkere linje, jo flere felles ordninger: %(ties)s."
    ) % {
        "name": facts.name,
        "n": len(partners),
        "ties": ", ".join(f"{p.name} {p.shared}" for p in partners),
    }
    if len(community) > 1:
        text += " " + _("%(name)s er mørk blå, de andre kommunene i fellesskapet mellomblå.") % {
            "name": facts.name
        }
    figure = _figure(base, fills, labels, text)
    top = max(p.shared for p in partners)
    # The weakest first: the strongest lines are drawn on top.
    for partner in reversed(partners):
        other = base.shape(partner.number)
        width = round(1 + 5 * partner.shared / top, 1)
        figure.lines.append(MapLine(ego.x, ego.y, other.x, other.y, width))
    return figure


def region_map(
    base: BaseMap, region: str, numbers: list[str], names: dict[str, str]
) -> MapFigure | None:
    """The mapped area with the region's municipalities dark and named."""
    shown = [n for n in numbers if base.shape(n)]
    if not shown:
        return None
    inside = sum(s.inside for s in base.shapes)
    text = _(
        "Kart over de %(n)s kartlagte kommunene med de %(k)s kommunene i %(region)s markert i "
        "mørk blå: %(names)s. Nabokommuner utenfor kartleggingen er grå."
    ) % {"n": inside, "k": len(shown), "region": region, "names": _names(shown, names)}
    fills = dict.fromkeys(shown, HIGHLIGHT)
    return _figure(base, fills, {n: names.get(n, n) for n in shown}, text)


def mapping_map_svg(mapping: Mapping) -> tuple[str, str]:
    """The mapping's choropleth (counted arrangements per municipality) as an SVG document, and
    its version (for the ETag); made once per registry generation. "" when nothing has a map."""
    stamp = hashlib.sha256(generation().encode()).hexdigest()[:16]
    key = f"kart:{FACTS_VERSION}:{mapping.pk}:{stamp}"
    cache = caches["default"]
    svg = cache.get(key)
    if svg is None:
        from samarbeid.reports import maps

        from . import derived

        rows = derived.summary(mapping).rows
        values = {row.number: row.arrangements for row in rows}
        names = {row.number: row.name for row in rows}
        drawn = maps.choropleth("kart", values, names, mapping.cutoff_date)[0] if rows else ""
        svg = f'<?xml version="1.0" encoding="utf-8"?>\n{drawn}' if drawn else ""
        cache.set(key, svg, FACTS_TIMEOUT_S)
    return svg, stamp
