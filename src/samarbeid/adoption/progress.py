"""Adoption as of a date, read from the database: the standing of every (solution, municipality)
(:mod:`.counting` over the last record of each pair, read in one set-based query), the
municipalities that exist on the day with their county (the gazetteer), populations (all, counties,
a body's members, named ones), and the progress of each solution nationally or per county, body or
region of a mapping, beside the counts others report."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from django.db import connection
from django.db.models import Q

from samarbeid.portfolio.models import BodyMember, CooperationBody
from samarbeid.reference.gazetteer import load_gazetteer
from samarbeid.registry.models import Municipality, Region, RegionMembership

from . import counting
from .checks import check_items
from .counting import Counts, Record, Standing
from .facts import item_facts
from .models import Item, ReportedCount, Solution

#: The groupings of ``samarbeid utbredelse --per`` and the pages.
GROUPINGS = ("fylke", "organ", "region")


@dataclass(frozen=True)
class Place:
    key: str
    name: str
    number: str
    county_number: str
    county_name: str


@lru_cache(maxsize=64)  # bounded: pages and the API take any date since 2000
def places_at(day: dt.date) -> dict[str, Place]:
    """The municipalities that exist on ``day``, by entity key (the gazetteer)."""
    return {
        p.entity: Place(p.entity, p.qualified_name(), p.number, p.county.number, p.county.name)
        for p in load_gazetteer().valid_at(day)
    }


def exists(key: str, day: dt.date) -> bool:
    return key in places_at(day)


def continued_by(key: str, day: dt.date) -> set[str]:
    """The municipalities that continue ``key`` on ``day``: itself while it exists, else the
    ones that took over from it, one change at a time (:func:`ends`)."""
    found: set[str] = set()
    frontier, seen = [key], set()
    while frontier:
        current = frontier.pop()
        if current in seen:
            continue
        seen.add(current)
        if exists(current, day):
            found.add(current)
            continue
        end, following = ends(current)
        if end is not None and end < day:
            frontier.extend(following)
    return found


@cache
def ends(key: str) -> tuple[dt.date | None, tuple[str, ...]]:
    """The day the municipality ended and the ones that continued it (the gazetteer)."""
    gaz = load_gazetteer()
    periods = gaz.entity_periods(key)
    if not periods or any(p.valid_to is None for p in periods):
        return None, ()
    last = max(periods, key=lambda p: p.valid_to)
    return last.valid_to, tuple(sorted({q.entity for q in gaz.successors(last)} - {key}))


_LATEST_POSTGRES = """
SELECT DISTINCT ON (solution_id, municipality_id) solution_id, municipality_id, date, status, id
FROM adoption_adoptionrecord WHERE date <= %s {only}
ORDER BY solution_id, municipality_id, date DESC, id DESC"""
_LATEST_WINDOW = """
SELECT solution_id, municipality_id, date, status, id FROM (
  SELECT solution_id, municipality_id, date, status, id, ROW_NUMBER() OVER (
    PARTITION BY solution_id, municipality_id ORDER BY date DESC, id DESC) AS latest
  FROM adoption_adoptionrecord WHERE date <= %s {only}) AS ranked
WHERE latest = 1"""


@cache
def _municipality_keys() -> dict[int, str]:
    # The reference data is synchronised at migration and never renumbers its rows' ids.
    return dict(Municipality.objects.values_list("id", "key"))


def _latest_rows(day: dt.date, solution_ids: Iterable[int] | None) -> list[tuple]:
    """(solution id, municipality key, date, status, id) of the last record on or before
    ``day`` of each pair: one query, in index order on PostgreSQL (``DISTINCT ON``), a window
    function elsewhere."""
    params: list[Any] = [day]
    only = ""
    if solution_ids is not None:
        ids = [int(i) for i in solution_ids]
        if not ids:
            return []
        only = f"AND solution_id IN ({', '.join(['%s'] * len(ids))})"
        params += ids
    template = _LATEST_POSTGRES if connection.vendor == "postgresql" else _LATEST_WINDOW
    with connection.cursor() as cursor:
        cursor.execute(template.format(only=only), params)
        rows = cursor.fetchall()
    keys = _municipality_keys()
    if any(m not in keys for _s, m, _d, _st, _i in rows):
        _municipality_keys.cache_clear()
        keys = _municipality_keys()
    iso = dt.date.fromisoformat
    return [(s, keys[m], d if isinstance(d, dt.date) else iso(d), st, i) for s, m, d, st, i in rows]


@contextmanager
def _no_collection() -> Iterator[None]:
    """Python's cycle collector paused while some 100 000 tuples are made (none are cycles):
    otherwise it runs over every object of the process several times meanwhile."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def last_records(day: dt.date, solution_ids: Iterable[int] | None = None) -> list[Record]:
    """The last record on or before ``day`` of each (solution, municipality)."""
    with _no_collection():
        return [Record._make(row) for row in _latest_rows(day, solution_ids)]


def standings_at(
    day: dt.date, solution_ids: Iterable[int] | None = None
) -> dict[tuple[Any, str], Standing]:
    new = tuple.__new__  # a Standing without a Python-level __new__ (100 000 of them)
    with _no_collection():
        own = {
            (r[0], r[1]): new(Standing, (r[3], r[2], ())) for r in _latest_rows(day, solution_ids)
        }
        return counting.standings_from_own(own, day, exists, ends)


# --- populations and groups ---------------------------------------------------------------------


def body_members(body: CooperationBody, day: dt.date) -> set[str]:
    """The body's member municipalities on ``day`` (joined on or before, not yet left), as the
    entities that exist that day (a member that merged counts as its successor)."""
    members = BodyMember.objects.filter(body=body, municipality__isnull=False).filter(
        Q(joined__isnull=True) | Q(joined__lte=day), Q(left__isnull=True) | Q(left__gt=day)
    )
    keys: set[str] = set()
    for key in members.values_list("municipality__key", flat=True):
        keys |= continued_by(key, day)
    return keys


def region_members(region: Region, day: dt.date) -> set[str]:
    rows = RegionMembership.objects.filter(region=region).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
    )
    return {k for k in rows.values_list("municipality__key", flat=True) if exists(k, day)}


def population(item: Item | None, day: dt.date) -> tuple[list[str], bool]:
    """The municipalities an item's ambition is measured against on ``day``, and whether the
    list is known (``False`` for a population the source only describes: Helseplattformen's
    municipalities in Midt-Norge that use the option)."""
    places = places_at(day)
    if item is None or item.population == Item.Population.ALL:
        return sorted(places), True
    if item.population == Item.Population.COUNTIES:
        wanted = set(item.population_counties)
        return sorted(k for k, p in places.items() if p.county_number in wanted), True
    if item.population == Item.Population.BODY:
        # A body's members; a national item has no body: the population is then only described.
        if item.portfolio.body_id:
            return sorted(body_members(item.portfolio.body, day)), True
        return sorted(places), False
    if item.population == Item.Population.LISTED:
        keys = item.population_municipalities.values_list("key", flat=True)
        return sorted(k for k in keys if k in places), True
    return sorted(places), False


def groups(per: str, day: dt.date) -> list[tuple[str, set[str]]]:
    """(label, municipalities) per county, body or region on ``day``."""
    if per == "fylke":
        by_county: dict[str, set[str]] = {}
        names: dict[str, str] = {}
        for key, place in places_at(day).items():
            by_county.setdefault(place.county_number, set()).add(key)
            names[place.county_number] = place.county_name
        return [(f"{names[n]} ({n})", by_county[n]) for n in sorted(by_county)]
    if per == "organ":
        return [(b.name, body_members(b, day)) for b in CooperationBody.objects.all()]
    if per == "region":
        return [(r.name, region_members(r, day)) for r in Region.objects.order_by("name")]
    raise ValueError(per)


# --- the progress of each solution --------------------------------------------------------------


def current_item(solution: Solution, day: dt.date) -> Item | None:
    """The national item that carries the solution in the latest portfolio up to ``day``'s year
    (its area, ambition and population); else the earliest national one; else the latest item
    of any portfolio."""
    return _pick_item(
        list(Item.objects.filter(solution=solution).select_related("portfolio", "area")), day
    )


def _pick_item(items: list[Item], day: dt.date) -> Item | None:
    national = [i for i in items if i.portfolio.level == "nasjonal"]
    up_to = [i for i in national if i.portfolio.year <= day.year]
    if up_to:
        return max(up_to, key=lambda i: (i.portfolio.year, i.pk))
    if national:
        return min(national, key=lambda i: (i.portfolio.year, i.pk))
    return max(items, key=lambda i: (i.portfolio.year, i.pk)) if items else None


def reported_at(solution: Solution, day: dt.date) -> ReportedCount | None:
    return (
        ReportedCount.objects.filter(solution=solution, as_of__lte=day)
        .order_by("-as_of", "-id")
        .first()
    )


class Loaded:
    """What the rows of many solutions need, read once: each solution's item (with its
    population on the day) and its latest reported count up to the day."""

    def __init__(self, solutions: list[Solution], day: dt.date) -> None:
        self.day = day
        items: dict[int, list[Item]] = {}
        for item in (
            Item.objects.filter(solution__in=solutions)
            .select_related("portfolio", "area")
            .prefetch_related("reported_counts")
        ):
            items.setdefault(item.solution_id, []).append(item)
        self.items = {s.pk: _pick_item(items.get(s.pk, []), day) for s in solutions}
        self.reported: dict[int, ReportedCount] = {}
        for count in ReportedCount.objects.filter(solution__in=solutions, as_of__lte=day).order_by(
            "as_of", "id"
        ):
            self.reported[count.solution_id] = count  # the latest last
        self._populations: dict[int, tuple[list[str], bool]] = {}

    def population(self, solution: Solution) -> tuple[list[str], bool]:
        if solution.pk not in self._populations:
            self._populations[solution.pk] = population(self.items[solution.pk], self.day)
        return self._populations[solution.pk]


def _names(keys: list[str], places: dict[str, Place]) -> list[dict[str, str]]:
    shown = [places[k] for k in keys if k in places]
    return [{"kommunenummer": p.number, "navn": p.name} for p in sorted(shown, key=_order)]


def _order(place: Place) -> tuple[str, str]:
    return (place.name, place.number)


def counts_json(counts: Counts, places: dict[str, Place], *, names: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "i_bruk": counts.by_status[counting.IN_USE],
        "tilgjengeliggjort": counts.by_status[counting.AVAILABLE],
        "stoppet": counts.by_status[counting.STOPPED],
        "ikke_startet": counts.by_status[counting.NOT_STARTED],
        "ukjent": counts.unknown,
    }
    if names:
        data["kommuner"] = {
            status: _names(counts.members.get(status, []), places)
            for status in (*reversed(counting.STATUSES), "ukjent")
        }
    return data


def solution_progress(
    solution: Solution,
    day: dt.date,
    standing: dict[tuple[Any, str], Standing],
    *,
    within: set[str] | None = None,
    names: bool = True,
    loaded: Loaded | None = None,
) -> dict[str, Any]:
    """One solution's row: reported count, counts of the records, ambition and share, and the
    municipalities behind each count (``within``: only those, for a county, body or region).
    ``loaded``: the items and reported counts read once for many rows."""
    loaded = loaded or Loaded([solution], day)
    item = loaded.items[solution.pk]
    places = places_at(day)
    keys, listed = loaded.population(solution)
    if within is not None:
        keys = [k for k in keys if k in within]
    counts = counting.count(standing, solution.pk, keys)
    # A county's or a body's row is counted at the level of the national reported count too, so
    # the rows add up to the national one; only the national row shows the reported count.
    national = loaded.reported.get(solution.pk)
    level = national.level if national else counting.AVAILABLE
    reported = national if within is None else None
    counted = counts.reached(level)
    ambition = item.ambition if item and within is None else (len(keys) if listed else None)
    return {
        "losning": solution.name,
        "innsatsomrade": item.area.name if item and item.area else None,
        "tiltak": f"{item.reference} {item.title}" if item else None,
        "rapportert": None
        if reported is None
        else {
            "antall": reported.count,
            "niva": reported.level,
            "per": reported.as_of.isoformat(),
            "som_oppgitt": reported.as_of_text,
            "oppgitt_av": reported.reported_by,
            "kilde": reported.source,
        },
        "fra_registreringer": counted,
        "niva": level,
        "differanse": None if reported is None else reported.count - counted,
        "status": counts_json(counts, places, names=names),
        "ambisjon": ambition,
        "populasjon": {
            "type": item.population if item else Item.Population.ALL,
            "antall": len(keys) if listed else None,
            "merknad": item.population_note if item else "",
        },
        "andel": counting.share(counted, ambition),
        "andel_rapportert": counting.share(reported.count, ambition) if reported else None,
        # What the portfolio document itself gets wrong about this solution (national rows).
        "funn": [f.as_json() for f in check_items([item_facts(item)])]
        if item is not None and within is None
        else [],
    }


def adoption_table(
    day: dt.date,
    solutions: list[Solution] | None = None,
    per: str | None = None,
    *,
    names: bool = True,
) -> dict[str, Any]:
    """What ``samarbeid utbredelse`` prints: every solution nationally, or per group."""
    chosen = solutions if solutions is not None else list(Solution.objects.all())
    standing = standings_at(day, [s.pk for s in chosen])
    loaded = Loaded(chosen, day)
    result: dict[str, Any] = {"dato": day.isoformat()}
    if per is None:
        result["losninger"] = [
            solution_progress(s, day, standing, names=names, loaded=loaded) for s in chosen
        ]
        return result
    result["per"] = per
    result["grupper"] = [
        {
            "gruppe": label,
            "kommuner": len(members),
            "losninger": [
                solution_progress(s, day, standing, within=members, names=names, loaded=loaded)
                for s in chosen
            ],
        }
        for label, members in groups(per, day)
    ]
    return result
