"""Counting adoption «as of a date» from the status records (pure: no Django).

A record says: from ``date`` on, ``municipality`` has ``solution`` at ``status``. The standing of a
municipality on a day is its last record dated on or before that day (a later ``seq`` wins on the
same day). Municipalities end and begin in the gazetteer (mergers, splits): a municipality that
ended passes the standing it had on its last day to the ones that continued it (a split: to each),
one change at a time, and one with no record of its own takes the most advanced standing among its
predecessors, marked as inherited. Its own record, once it has one, always wins. Counts are then
taken over the municipalities that exist on the day, within the population an ambition is
measured against.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

#: The statuses, least advanced first. «Stopped» ranks above «not started» (it was tried) and
#: below «made available» (it is not there now).
NOT_STARTED, STOPPED, AVAILABLE, IN_USE = "ikke_startet", "stoppet", "tilgjengeliggjort", "i_bruk"
STATUSES = (NOT_STARTED, STOPPED, AVAILABLE, IN_USE)
RANK = {status: position for position, status in enumerate(STATUSES)}


class Record(NamedTuple):  # tuples: a national count makes some 100 000 of them
    solution: Hashable
    municipality: str  # the gazetteer's entity key
    date: dt.date
    status: str
    seq: int = 0  # the order of records on the same day (the database id)


class Standing(NamedTuple):
    status: str
    since: dt.date
    #: The predecessors the status comes from, when the municipality has no record of its own.
    inherited_from: tuple[str, ...] = ()


@dataclass
class Counts:
    """One solution's counts in one population on one day."""

    population: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    unknown: int = 0  # municipalities in the population with no record at all
    members: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def available_or_in_use(self) -> int:
        """What «tilgjengeliggjort» counts when a source reports it: made available or more."""
        return self.by_status[AVAILABLE] + self.by_status[IN_USE]

    def reached(self, level: str) -> int:
        return self.by_status[IN_USE] if level == IN_USE else self.available_or_in_use


#: ``ends(key)``: the day the municipality ended and the ones that continued it on the next day
#: (a merger: one; a split: several), or ``(None, ())`` while it exists.
Ends = Callable[[str], tuple[dt.date | None, tuple[str, ...]]]


def own_standings(
    records: Iterable[Record], as_of: dt.date
) -> dict[tuple[Hashable, str], Standing]:
    """The last record on or before ``as_of`` per (solution, municipality)."""
    best: dict[tuple[Hashable, str], Record] = {}
    for record in records:
        if record.date > as_of:
            continue
        key = (record.solution, record.municipality)
        seen = best.get(key)
        if seen is None or (record.date, record.seq) > (seen.date, seen.seq):
            best[key] = record
    return {key: Standing(r.status, r.date) for key, r in best.items()}


def _best(sources: list[tuple[str, Standing]]) -> Standing:
    chosen = max(sources, key=lambda pair: (RANK[pair[1].status], pair[1].since))[1]
    return Standing(chosen.status, chosen.since, tuple(sorted({key for key, _ in sources})))


def standings(
    records: Iterable[Record],
    as_of: dt.date,
    exists: Callable[[str, dt.date], bool],
    ends: Ends,
) -> dict[tuple[Hashable, str], Standing]:
    """Every (solution, municipality existing on ``as_of``) that has a standing: its own, or
    the one inherited through the gazetteer's changes, one change at a time: a municipality
    that ended passes on its standing on its last day — its own record if it had one, else
    what it inherited itself — to the ones that continued it."""
    return standings_from_own(own_standings(records, as_of), as_of, exists, ends)


def standings_from_own(
    own: Mapping[tuple[Hashable, str], Standing],
    as_of: dt.date,
    exists: Callable[[str, dt.date], bool],
    ends: Ends,
) -> dict[tuple[Hashable, str], Standing]:
    """:func:`standings` from each pair's own standing on the day (the last record of each
    pair, as the database gives it)."""
    alive = {key for key in {k for _s, k in own} if exists(key, as_of)}
    result = {pair: s for pair, s in own.items() if pair[1] in alive}
    inherited: dict[tuple[Hashable, str], list[tuple[str, Standing]]] = defaultdict(list)
    queue: list[tuple[dt.date, str, Hashable]] = []
    queued: set[tuple[Hashable, str]] = set()

    def push(solution: Hashable, key: str) -> None:
        end, _next = ends(key)
        if end is not None and (solution, key) not in queued:
            queued.add((solution, key))
            heapq.heappush(queue, (end, key, solution))

    for solution, key in own:
        if key not in alive:
            push(solution, key)
    while queue:  # in the order the municipalities ended
        _end, key, solution = heapq.heappop(queue)
        passed = own.get((solution, key)) or _best(inherited[(solution, key)])
        for successor in ends(key)[1]:
            if successor == key:
                continue
            inherited[(solution, successor)].append((key, passed))
            if not exists(successor, as_of):
                push(solution, successor)
    for (solution, key), sources in inherited.items():
        if (solution, key) not in result and exists(key, as_of):
            result[(solution, key)] = _best(sources)
    return result


def count(
    standing: Mapping[tuple[Hashable, str], Standing],
    solution: Hashable,
    population: Iterable[str],
) -> Counts:
    """The counts of one solution over ``population`` (entity keys existing on the day)."""
    counts = Counts()
    for municipality in population:
        counts.population += 1
        found = standing.get((solution, municipality))
        if found is None:
            counts.unknown += 1
            counts.members["ukjent"].append(municipality)
        else:
            counts.by_status[found.status] += 1
            counts.members[found.status].append(municipality)
    return counts


def share(part: int, whole: int | None) -> float | None:
    """``part`` of ``whole`` as a fraction; ``None`` without a whole."""
    if not whole:
        return None
    return part / whole


def series(
    records: list[Record],
    solution: Hashable,
    days: Iterable[dt.date],
    population_at: Callable[[dt.date], Iterable[str]],
    exists: Callable[[str, dt.date], bool],
    ends: Ends,
) -> list[tuple[dt.date, Counts]]:
    """The counts of one solution on each of ``days`` (a time series)."""
    mine = [r for r in records if r.solution == solution]
    return [
        (day, count(standings(mine, day, exists, ends), solution, population_at(day)))
        for day in days
    ]
