"""The maps of the place pages, drawn in SVG. The mapping's choropleth is
:func:`samarbeid.reports.maps.choropleth` (an SVG file, made once per registry generation and
kept in Django's cache, like the facts of :mod:`.places`); the small maps of the municipality and
region pages are plain SVG drawn from the same boundaries and projection (:func:`base_map`, kept
per scope), with presentation attributes only, as the site's Content-Security-Policy allows no
inline styles.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.cache import caches
from django.utils.translation import gettext as _

from samarbeid.registry.models import Mapping

from .page_cache import generation
from .places import FACTS_TIMEOUT_S, FACTS_VERSION, MunicipalityFacts

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
