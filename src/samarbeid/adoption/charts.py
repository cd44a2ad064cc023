"""The figures of the adoption pages, drawn as plain SVG with presentation attributes only (the
site's Content-Security-Policy allows no inline styles): the map of a solution coloured by each
municipality's status — the place pages' base map (:func:`samarbeid.web.place_maps.base_map`,
drawn by ``web/_map.html``) — and the time series of the count, monthly from the first record,
with the counts others reported as separate marked points. Every figure has a text alternative;
the pages add the same data as a table."""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from samarbeid.web import place_maps

from . import counting, progress
from .models import AdoptionRecord, Item, ReportedCount, Solution

#: The fill of each status on the map (the words in the key and the table carry the meaning).
FILLS = {
    "i_bruk": "#08306b",
    "tilgjengeliggjort": "#6baed6",
    "stoppet": "#c2410c",
    "ikke_startet": "#fdd0a2",
    "ukjent": "#ffffff",
}
#: Municipalities outside the solution's population.
OUTSIDE = place_maps.NEIGHBOUR


def status_map(
    day: dt.date,
    names: dict[str, str],
    statuses: dict[str, str],
    labels: dict[str, str],
    within: set[str] | None,
    description: str,
) -> place_maps.MapFigure | None:
    """All municipalities of ``day`` (``names``: number → name) filled by their status
    (``statuses``: number → status code, missing: no record); those not in ``within`` (the
    population, when it is not everyone) grey. ``labels``: status code → its words."""
    base = place_maps.base_map(sorted(names), day)
    if base is None:
        return None
    areas = []
    for shape in base.shapes:
        if not shape.inside:
            areas.append(place_maps.MapArea(shape.d, OUTSIDE, "#ffffff", ""))
            continue
        name = names.get(shape.number, shape.name)
        if within is not None and shape.number not in within:
            fill, words = OUTSIDE, _("utenfor populasjonen")
        else:
            status = statuses.get(shape.number, "ukjent")
            fill, words = FILLS[status], labels[status]
        areas.append(place_maps.MapArea(shape.d, fill, place_maps.MAPPED_EDGE, f"{name}: {words}"))
    return place_maps.MapFigure(base.width, base.height, description, areas)


# --- the time series ----------------------------------------------------------------------------


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last day of each month from ``start``'s month to ``end``'s, the last one ``end``."""
    days = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        days.append(min(last, end))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def monthly_counts(
    solution: Solution, item: Item | None, level: str, day: dt.date
) -> list[tuple[dt.date, int]]:
    """The count at ``level`` at the end of each month from the first record to ``day``.

    The records are applied in date order, keeping only each municipality's latest, so each
    month costs the municipalities, not the whole history (:func:`counting.standings_from_own`
    over each municipality's latest record)."""
    rows = (
        AdoptionRecord.objects.filter(solution=solution, date__lte=day)
        .order_by("date", "id")
        .values_list("municipality__key", "date", "status", "id")
    )
    records = [
        counting.Record(solution.pk, key, date, status, seq) for key, date, status, seq in rows
    ]
    if not records:
        return []
    latest: dict[str, counting.Record] = {}
    position = 0
    points = []
    for month_end in month_ends(records[0].date, day):
        while position < len(records) and records[position].date <= month_end:
            latest[records[position].municipality] = records[position]
            position += 1
        own = {
            (r.solution, r.municipality): counting.Standing(r.status, r.date)
            for r in latest.values()
        }
        standing = counting.standings_from_own(own, month_end, progress.exists, progress.ends)
        keys, _listed = progress.population(item, month_end)
        points.append((month_end, counting.count(standing, solution.pk, keys).reached(level)))
    return points


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    title: str

    @property
    def corner_x(self) -> float:
        """The top left corner of the square that marks a reported count."""
        return round(self.x - 6, 1)

    @property
    def corner_y(self) -> float:
        return round(self.y - 6, 1)


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass
class SeriesChart:
    """What ``adoption/_series.html`` draws."""

    description: str
    width: int = 640
    height: int = 280
    left: int = 48
    right: int = 624
    top: int = 16
    bottom: int = 244
    line: str = ""
    dots: list[Mark] = field(default_factory=list)
    reported: list[Mark] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    ambition: Tick | None = None

    @property
    def label_y(self) -> int:
        return self.bottom + 20

    @property
    def dot_radius(self) -> float:
        """Smaller dots when the months crowd."""
        return 3.5 if len(self.dots) <= 24 else 2


def _nice_step(top: float, ticks: int = 5) -> int:
    raw = max(top / ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    return int(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw))


def _x_ticks(start: dt.date, end: dt.date) -> list[dt.date]:
    years = [dt.date(y, 1, 1) for y in range(start.year + 1, end.year + 1)]
    if len(years) >= 2:
        step = math.ceil(len(years) / 6)
        return years[::step]
    months = [d.replace(day=1) for d in month_ends(start, end)][1:]
    step = max(1, math.ceil(len(months) / 6))
    return months[::step] or [start]


def series_chart(
    points: list[tuple[dt.date, int]],
    reported: Iterable[ReportedCount],
    ambition: int | None,
    description: str,
) -> SeriesChart | None:
    """The counted series as a line with a dot per month, the reported counts as squares, the
    ambition as a dashed line when the figure reaches it; ``None`` when there is nothing."""
    marked = list(reported)
    days = [d for d, _n in points] + [r.as_of for r in marked]
    if not days:
        return None
    chart = SeriesChart(description)
    start, end = min(days), max(days)
    if start == end:
        start, end = start - dt.timedelta(days=15), end + dt.timedelta(days=15)
    values = [n for _d, n in points] + [r.count for r in marked]
    top = max([*values, 1])
    if ambition and ambition <= top * 1.6:
        top = max(top, ambition)
    step = _nice_step(top)
    top = step * math.ceil(top / step)

    def x(day: dt.date) -> float:
        share = (day - start).days / (end - start).days
        return round(chart.left + share * (chart.right - chart.left), 1)

    def y(value: float) -> float:
        return round(chart.bottom - value / top * (chart.bottom - chart.top), 1)

    chart.y_ticks = [Tick(y(v), str(v)) for v in range(0, top + 1, step)]
    chart.x_ticks = [
        Tick(x(d), str(d.year) if d.month == 1 else date_format(d, "m.Y"))
        for d in _x_ticks(start, end)
    ]
    chart.dots = [
        Mark(x(d), y(n), _("%(day)s: %(n)s fra registreringene") % {"day": _day(d), "n": n})
        for d, n in points
    ]
    chart.line = " ".join(f"{m.x},{m.y}" for m in chart.dots)
    chart.reported = [
        Mark(
            x(r.as_of),
            y(r.count),
            _("%(day)s: %(n)s rapportert av %(who)s")
            % {"day": _day(r.as_of), "n": r.count, "who": r.reported_by},
        )
        for r in marked
    ]
    if ambition and ambition <= top:
        chart.ambition = Tick(y(ambition), _("Ambisjon %(n)s") % {"n": ambition})
    return chart


def _day(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")
