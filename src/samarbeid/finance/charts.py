"""The figures of the cost-sharing pages, drawn as plain SVG with presentation attributes only
(the site's Content-Security-Policy allows no inline styles), as the adoption pages draw theirs:
one line per model over the members (sorted by population) or over the years, each model with
its own colour, marker shape and dash pattern (the colour is never the only difference). Every
figure has a title and a description (``role="img"``), every point a tooltip, and the page has
the same numbers in a table."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

#: (colour, marker, dash) per series: dark blue circles, rust squares with dashes, green
#: triangles with dots, purple diamonds with dash-dots. Contrast with white ≥ 4.5:1.
STYLES = (
    ("#08306b", "circle", ""),
    ("#b0410c", "square", "7 4"),
    ("#1b6e35", "triangle", "2 4"),
    ("#6a3d9a", "diamond", "9 4 2 4"),
)
Number = int | Decimal | None


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    title: str
    shape: str

    @property
    def points(self) -> str:
        """The polygon of a square, triangle or diamond marker around the point."""
        x, y = self.x, self.y
        if self.shape == "square":
            corners = [
                (x - 3.5, y - 3.5),
                (x + 3.5, y - 3.5),
                (x + 3.5, y + 3.5),
                (x - 3.5, y + 3.5),
            ]
        elif self.shape == "triangle":
            corners = [(x, y - 4.5), (x + 4.5, y + 3.5), (x - 4.5, y + 3.5)]
        else:
            corners = [(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y)]
        return " ".join(f"{round(a, 1)},{round(b, 1)}" for a, b in corners)


@dataclass
class Series:
    name: str
    colour: str
    shape: str
    dash: str
    marks: list[Mark] = field(default_factory=list)
    lines: list[str] = field(
        default_factory=list
    )  # polyline points, split where a value is missing


@dataclass
class Chart:
    """What ``finance/_chart.html`` draws."""

    id: str
    title: str
    description: str
    unit: str
    width: int = 880
    height: int = 360
    left: int = 40
    right: int = 864
    top: int = 28
    bottom: int = 300
    rotate: bool = False
    y_ticks: list[Tick] = field(default_factory=list)
    x_labels: list[Label] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)

    @property
    def unit_y(self) -> int:
        return self.top - 12

    @property
    def tick_end(self) -> int:
        return self.bottom + 5


def nice_step(top: float, ticks: int = 5) -> float:
    """A round step (1, 2, 2,5 or 5 times a power of ten) giving about ``ticks`` steps."""
    raw = max(top / ticks, 1e-9)
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def line_chart(
    id: str,
    title: str,
    description: str,
    unit: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number]]],
    text: Callable[[Number], str],
    axis: Callable[[Number], str] | None = None,
    *,
    whole: bool = False,
) -> Chart:
    """One line per ``series`` (name, one value per category; None leaves a gap) over
    ``categories``; ``text`` writes a value as the tooltips show it, ``axis`` as the axis does
    (the unit stands above the axis); ``whole``: the axis counts (whole steps)."""
    axis = axis or text
    longest = max((len(c) for c in categories), default=0)
    rotate = len(categories) > 12 or longest * len(categories) > 110
    chart = Chart(id, title, description, unit, rotate=rotate)
    chart.bottom = chart.height - (min(150, 14 + int(longest * 5.4)) if rotate else 36)
    values = [float(v) for _, vs in series for v in vs if v is not None]
    top = max([*values, 0.0])
    if top <= 0:
        top = 1.0
    step = nice_step(top)
    if whole:
        step = max(1.0, math.ceil(step))
    top = step * math.ceil(top / step - 1e-9)
    slot = 0.0

    def x(i: int) -> float:
        return round(chart.left + (i + 0.5) * slot, 1)

    def y(value: float) -> float:
        return round(chart.bottom - value / top * (chart.bottom - chart.top), 1)

    count = round(top / step)
    chart.y_ticks = [Tick(y(k * step), axis(_number(k * step, whole))) for k in range(count + 1)]
    widest = max(len(t.label) for t in chart.y_ticks)
    chart.left = max(chart.left, 16 + int(widest * 7.4))
    slot = (chart.right - chart.left) / max(1, len(categories))
    below = chart.bottom + 16
    chart.x_labels = [
        Label(x(i), below - (6 if rotate else 0), c) for i, c in enumerate(categories)
    ]
    for n, (name, vs) in enumerate(series):
        colour, shape, dash = STYLES[n % len(STYLES)]
        drawn = Series(name, colour, shape, dash)
        run: list[str] = []
        for i, value in enumerate(vs):
            if value is None:
                if len(run) > 1:
                    drawn.lines.append(" ".join(run))
                run = []
                continue
            point = (x(i), y(float(value)))
            run.append(f"{point[0]},{point[1]}")
            title = f"{categories[i]}: {text(value)} ({name})"
            drawn.marks.append(Mark(point[0], point[1], title, shape))
        if len(run) > 1:
            drawn.lines.append(" ".join(run))
        chart.series.append(drawn)
    return chart


def _number(value: float, whole: bool) -> int | Decimal:
    if whole or float(value).is_integer():
        return round(value)
    return Decimal(str(round(value, 4))).normalize()
