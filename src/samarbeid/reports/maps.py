"""The map of the mapped area, drawn from the shipped Kartverket boundaries (no geopandas).

Coordinates are WGS84; the map uses a simple equal-area-ish projection around the area's mean
latitude (x = longitude · cos(latitude₀), y = latitude), which keeps shapes right at these
latitudes. Municipalities outside the mapping are drawn light grey for context.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from matplotlib import colormaps, rc_context
from matplotlib.colors import BoundaryNorm
from matplotlib.patches import PathPatch
from matplotlib.path import Path

from .figures import _RC, TEXT, new_figure, to_svg

NEIGHBOUR = "#e6e6e6"
EDGE = "#ffffff"


@dataclass(frozen=True)
class Shape:
    number: str
    name: str
    rings: tuple[np.ndarray, ...]  # (k, 2) lon/lat arrays; outer rings and holes alike
    outer: np.ndarray  # the largest outer ring (for the label position)
    bbox: tuple[float, float, float, float]  # lon0, lat0, lon1, lat1


def boundary_file(cutoff: dt.date) -> str:
    """The boundary file for a mapping date: 2020–2023 borders before 2024, else 2024 borders."""
    return "kommuner_2020.geojson" if cutoff < dt.date(2024, 1, 1) else "kommuner_2024.geojson"


@lru_cache(maxsize=2)
def load_shapes(filename: str) -> dict[str, Shape]:
    text = resources.files("samarbeid.reference.data").joinpath(filename).read_text("utf-8")
    shapes: dict[str, Shape] = {}
    for feature in json.loads(text)["features"]:
        props = feature["properties"]
        number = str(props["kommunenummer"]).zfill(4)
        name = props.get("navn") or props.get("kommunenavn") or props.get("name") or number
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        rings: list[np.ndarray] = []
        outer: np.ndarray | None = None
        for polygon in polygons:
            for i, ring in enumerate(polygon):
                array = np.asarray(ring, dtype=float)[:, :2]
                rings.append(array)
                if i == 0 and (outer is None or _area(array) > _area(outer)):
                    outer = array
        everything = np.vstack(rings)
        lo, hi = everything.min(axis=0), everything.max(axis=0)
        shapes[number] = Shape(
            number,
            name,
            tuple(rings),
            outer,  # type: ignore[arg-type]
            (lo[0], lo[1], hi[0], hi[1]),
        )
    return shapes


def _area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))) / 2


def _label_point(ring: np.ndarray, scale: float) -> tuple[float, float]:
    """A point inside the polygon for its label: the centroid, or, where the centroid falls
    outside (a crescent-shaped municipality), the middle of the widest horizontal chord through
    the centroid's latitude."""
    x, y = ring[:, 0] * scale, ring[:, 1]
    cross = x * np.roll(y, -1) - np.roll(x, -1) * y
    area = cross.sum() / 2
    if abs(area) < 1e-12:
        return float(x.mean()), float(y.mean())
    cx = float(((x + np.roll(x, -1)) * cross).sum() / (6 * area))
    cy = float(((y + np.roll(y, -1)) * cross).sum() / (6 * area))
    path = Path(np.column_stack([x, y]))
    if path.contains_point((cx, cy)):
        return cx, cy
    xs = []
    for (x0, y0), (x1, y1) in zip(
        np.column_stack([x, y]), np.roll(np.column_stack([x, y]), -1, 0), strict=True
    ):
        if (y0 <= cy < y1) or (y1 <= cy < y0):
            xs.append(x0 + (cy - y0) * (x1 - x0) / (y1 - y0))
    xs.sort()
    best = None
    for a, b in zip(xs[::2], xs[1::2], strict=False):
        if best is None or b - a > best[1] - best[0]:
            best = (a, b)
    return ((best[0] + best[1]) / 2, cy) if best else (cx, cy)


def _thin(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Keep about one vertex per ``tolerance`` of outline length (the ring stays closed)."""
    if tolerance <= 0 or len(points) < 8:
        return points
    steps = np.abs(np.diff(points, axis=0)).sum(axis=1)
    bucket = np.floor(np.concatenate([[0.0], np.cumsum(steps)]) / tolerance)
    keep = np.flatnonzero(np.diff(bucket, prepend=-1.0) > 0)
    if keep[-1] != len(points) - 1:
        keep = np.append(keep, len(points) - 1)
    return points[keep] if len(keep) >= 4 else points


def _path(
    shape: Shape,
    scale: float,
    tolerance: float = 0.0,
    view: tuple[float, float, float, float] | None = None,
) -> Path:
    """The shape as one compound path; rings outside ``view`` (lon/lat) or smaller than the
    tolerance are left out."""
    vertices, codes = [], []
    for ring in shape.rings:
        lo, hi = ring.min(axis=0), ring.max(axis=0)
        if view and (hi[0] < view[0] or lo[0] > view[2] or hi[1] < view[1] or lo[1] > view[3]):
            continue
        if tolerance and max((hi[0] - lo[0]) * scale, hi[1] - lo[1]) < 2 * tolerance:
            continue
        pts = _thin(np.column_stack([ring[:, 0] * scale, ring[:, 1]]), tolerance)
        vertices.append(pts)
        ring_codes = np.full(len(pts), Path.LINETO, dtype=Path.code_type)
        ring_codes[0] = Path.MOVETO
        ring_codes[-1] = Path.CLOSEPOLY
        codes.append(ring_codes)
    if not vertices:
        return Path(np.zeros((1, 2)), [Path.MOVETO])
    return Path(np.vstack(vertices), np.concatenate(codes))


def in_view(shape: Shape, view: tuple[float, float, float, float]) -> bool:
    """Whether the shape's bounding box reaches into ``view`` (lon0, lat0, lon1, lat1)."""
    return (
        shape.bbox[0] < view[2]
        and shape.bbox[2] > view[0]
        and shape.bbox[1] < view[3]
        and shape.bbox[3] > view[1]
    )


def projection_scale(shapes: list[Shape]) -> float:
    lat0 = (min(s.bbox[1] for s in shapes) + max(s.bbox[3] for s in shapes)) / 2
    return math.cos(math.radians(lat0))


def centroids(numbers: list[str], cutoff: dt.date) -> dict[str, tuple[float, float]]:
    """Projected label points of the given municipalities (for the network drawn on the map)."""
    shapes = load_shapes(boundary_file(cutoff))
    found = [shapes[n] for n in numbers if n in shapes]
    if not found:
        return {}
    scale = projection_scale(found)
    return {s.number: _label_point(s.outer, scale) for s in found}


def _nice_bounds(low: int, high: int, steps: int = 6) -> list[float]:
    span = max(high - low, 1)
    step = max(1, math.ceil(span / steps))
    start = (low // step) * step
    bounds = list(range(start, high + step + 1, step))
    return [b - 0.5 for b in bounds]


def choropleth(
    salt: str,
    values: Mapping[str, float],
    names: Mapping[str, str],
    cutoff: dt.date,
    *,
    value_label: str = "Antall ordninger",
    width: float = 7.0,
) -> tuple[str, list[str]]:
    """Map of the municipalities in ``values`` (number → value), coloured by value.

    Returns the SVG and the numbers that have no boundary in the file (left out of the map).
    """
    shapes = load_shapes(boundary_file(cutoff))
    inside = [shapes[n] for n in values if n in shapes]
    absent = [n for n in values if n not in shapes]
    if not inside:
        return "", absent
    scale = projection_scale(inside)
    lon0 = min(s.bbox[0] for s in inside)
    lat0 = min(s.bbox[1] for s in inside)
    lon1 = max(s.bbox[2] for s in inside)
    lat1 = max(s.bbox[3] for s in inside)
    pad_x, pad_y = (lon1 - lon0) * 0.04, (lat1 - lat0) * 0.04
    view = (lon0 - pad_x, lat0 - pad_y, lon1 + pad_x, lat1 + pad_y)
    wanted = set(values)
    neighbours = [
        s for number, s in sorted(shapes.items()) if number not in wanted and in_view(s, view)
    ]
    aspect = (view[3] - view[1]) / ((view[2] - view[0]) * scale)
    tolerance = (view[2] - view[0]) * scale / 500
    height = min(max(width * aspect * 0.85, 3.0), 9.0)
    fig = new_figure(width, height)
    with rc_context(_RC):
        ax = fig.add_subplot()
        ax.set_aspect("equal")
        ax.set_axis_off()
        for shape in neighbours:
            ax.add_patch(
                PathPatch(
                    _path(shape, scale, tolerance, view),
                    facecolor=NEIGHBOUR,
                    edgecolor=EDGE,
                    linewidth=0.6,
                )
            )
        numbers = [float(values[s.number]) for s in inside]
        low, high = int(min(numbers)), math.ceil(max(numbers))
        bounds = _nice_bounds(low, high)
        cmap = colormaps["YlGnBu"].resampled(len(bounds) - 1)
        norm = BoundaryNorm(bounds, cmap.N)
        for shape in inside:
            ax.add_patch(
                PathPatch(
                    _path(shape, scale, tolerance),
                    facecolor=cmap(norm(values[shape.number])),
                    edgecolor="#555555",
                    linewidth=0.5,
                )
            )
        for shape in inside:
            x, y = _label_point(shape.outer, scale)
            label = names.get(shape.number, shape.name)
            fill = cmap(norm(values[shape.number]))
            light = 0.2126 * fill[0] + 0.7152 * fill[1] + 0.0722 * fill[2] > 0.5
            ax.text(
                x,
                y,
                f"{label}\n{_fmt(values[shape.number])}",
                ha="center",
                va="center",
                fontsize=6.5,
                color=TEXT if light else "white",
                linespacing=1.1,
            )
        ax.set_xlim(view[0] * scale, view[2] * scale)
        ax.set_ylim(view[1], view[3])
        mappable = _scalar_mappable(cmap, norm)
        bar = fig.colorbar(mappable, ax=ax, shrink=0.6, pad=0.01, aspect=25)
        ticks = [b + 0.5 for b in bounds[:-1]]
        bar.set_ticks(ticks, labels=[_range_label(b, bounds) for b in bounds[:-1]])
        bar.set_label(value_label)
        bar.outline.set_visible(False)
        ax.text(
            0.0,
            0.0,
            "Kart: © Kartverket (CC BY 4.0)",
            transform=ax.transAxes,
            fontsize=6,
            color="#777777",
            ha="left",
            va="bottom",
        )
    return to_svg(fig, salt), absent


def _scalar_mappable(cmap, norm):
    from matplotlib.cm import ScalarMappable

    return ScalarMappable(norm=norm, cmap=cmap)


def _range_label(lower: float, bounds: list[float]) -> str:
    i = bounds.index(lower)
    a, b = int(lower + 0.5), int(bounds[i + 1] - 0.5)
    return str(a) if a == b else f"{a}–{b}"


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


COMMUNITY_COLORS = (
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#1f78b4",
    "#b2df8a",
    "#fb9a99",
)


def network_map(
    salt: str,
    nodes: list[tuple[str, str, str]],
    edges: list[tuple[str, str, float]],
    cutoff: dt.date,
    *,
    groups: Mapping[str, int] | None = None,
    width: float = 7.0,
) -> str:
    """The cooperation network: ``nodes`` are (key, number, label), ``edges`` (key, key, weight).

    Nodes sit at their municipality's place on the map (light grey outlines underneath); a
    node without a boundary gets a seeded spring layout position. Edge width and opacity grow
    with the weight; ``groups`` (key → community number) colours the nodes.
    """
    import networkx as nx

    shapes = load_shapes(boundary_file(cutoff))
    found = [shapes[number] for _, number, _ in nodes if number in shapes]
    scale = projection_scale(found) if found else 1.0
    positions: dict[str, tuple[float, float]] = {}
    for key, number, _ in nodes:
        if number in shapes:
            positions[key] = _label_point(shapes[number].outer, scale)
    if len(positions) < len(nodes):
        g = nx.Graph()
        g.add_nodes_from(k for k, _, _ in nodes)
        g.add_weighted_edges_from(edges)
        fixed = list(positions) or None
        layout = nx.spring_layout(
            g, seed=1, pos=dict(positions) or None, fixed=fixed, weight="weight"
        )
        positions = {k: (float(v[0]), float(v[1])) for k, v in layout.items()}
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    aspect = span_y / span_x
    height = min(max(width * aspect * 0.9, 3.0), 9.0)
    fig = new_figure(width, height)
    with rc_context(_RC):
        ax = fig.add_subplot()
        ax.set_aspect("equal")
        ax.set_axis_off()
        tolerance = span_x / 400
        for shape in found:
            ax.add_patch(
                PathPatch(
                    _path(shape, scale, tolerance),
                    facecolor="#f4f4f4",
                    edgecolor="#d0d0d0",
                    linewidth=0.5,
                    zorder=0,
                )
            )
        from matplotlib.collections import LineCollection

        top = max((w for _, _, w in edges), default=1) or 1
        ordered = sorted(edges, key=lambda e: (e[2], e[0], e[1]))
        segments = [(positions[a], positions[b]) for a, b, _ in ordered]
        widths = [0.3 + 4.5 * (w / top) for _, _, w in ordered]
        colors = [(0.17, 0.36, 0.58, 0.08 + 0.72 * (w / top)) for _, _, w in ordered]
        ax.add_collection(
            LineCollection(segments, linewidths=widths, colors=colors, zorder=1, capstyle="round")
        )
        strength = {k: 0.0 for k, _, _ in nodes}
        for a, b, w in edges:
            strength[a] += w
            strength[b] += w
        most = max(strength.values(), default=1) or 1
        for key, _, label in nodes:
            x, y = positions[key]
            group = (groups or {}).get(key)
            color = COMMUNITY_COLORS[(group - 1) % len(COMMUNITY_COLORS)] if group else "#777777"
            ax.scatter(
                [x],
                [y],
                s=25 + 140 * strength[key] / most,
                color=color,
                edgecolors="white",
                linewidths=0.8,
                zorder=2,
            )
            ax.annotate(
                label,
                (x, y),
                xytext=(0, -7),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=6.5,
                color=TEXT,
                zorder=3,
            )
        if groups:
            from matplotlib.lines import Line2D

            handles = [
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="",
                    color=COMMUNITY_COLORS[(g - 1) % 10],
                    label=f"Fellesskap {g}",
                )
                for g in sorted(set(groups.values()))
            ]
            ax.legend(handles=handles, frameon=False, fontsize=7, loc="upper right")
        pad_x, pad_y = span_x * 0.06, span_y * 0.06
        ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
        ax.set_ylim(min(ys) - pad_y * 1.5, max(ys) + pad_y)
    return to_svg(fig, salt)
