"""Gazetteer of Norwegian municipalities (kommuner) and counties (fylker), 2017 onwards.

Pure Python (no Django). It reads the reference CSVs shipped in ``data/`` (see
``data/SOURCES.md`` for columns, provenance and licences) and answers three questions:

* which municipality did a number or a name denote on a given day (:meth:`Gazetteer.resolve`),
* how municipalities continue through number and name changes (*entities*) and which mergers
  and splits connect them (:attr:`Gazetteer.changes`),
* how many inhabitants a municipality had on 1 January of a year.

Model
-----
A :class:`MunicipalityPeriod` is one number + name of one municipality over one validity period.
Periods of the *same* municipality (kinds ``renumbered``, ``renamed``, ``renumbered_and_renamed``
and ``unchanged``) share an ``entity`` key. A merger or a split ends the old entities and starts
new ones, linked by :class:`Change` records; this holds even when a predecessor kept its name or
number (0602 Drammen + 0625 Nedre Eiker + 0711 Svelvik -> 3005 Drammen is a new entity).
``valid_from`` None means "at least since before the reference data begins" (the change records
start 2017-01-01); ``valid_to`` None means "still valid".

Changes of the official name inside the 2020-2023 structure (1853 Evenes 2022-01-01, 5001
Trondheim and 5025 Røros 2023-01-01) are kept as separate periods of the same entity linked by a
``renamed`` change. A change of the county disambiguation alone (1514 ``Sande (Møre og Romsdal)``
-> ``Sande`` in 2020) also gives a new period of the same entity, recorded as ``renamed``.

Name matching
-------------
:func:`normalise_name` gives the matching key: case-insensitive, accents removed (é, á, š, ŋ, ...)
except that æ, ø and å are distinct letters and are kept; hyphens, dashes and runs of whitespace
are one space. Names are only ever matched whole (dictionary lookups), never by substring, so
"Ål" can never match "Våler" and "Hol" never "Holmestrand". Each period is found by its short
name, its official name without a county disambiguation, and each part of a multi-language
official name ("Guovdageaidnu - Kautokeino").
"""

from __future__ import annotations

import csv
import difflib
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

__all__ = [
    "Change",
    "County",
    "Gazetteer",
    "MunicipalityPeriod",
    "Resolution",
    "load_gazetteer",
    "mod11_ok",
    "normalise_name",
]

#: Change kinds that keep the municipality entity.
SAME_ENTITY_KINDS = frozenset({"renumbered", "renamed", "renumbered_and_renamed", "unchanged"})

OK = "ok"
UNKNOWN = "unknown"
AMBIGUOUS = "ambiguous"
NOT_VALID_AT_DATE = "not_valid_at_date"

_ONE_DAY = timedelta(days=1)
_END_2019 = date(2019, 12, 31)
_START_2020 = date(2020, 1, 1)
_END_2023 = date(2023, 12, 31)
_START_2024 = date(2024, 1, 1)

# Counties that ended before the 2019 structure: Sør- and Nord-Trøndelag were merged into
# 50 Trøndelag on 2018-01-01 (code_changes_2017_2019.csv renumbers 16xx/17xx -> 50xx).
# Their names are not in the CSVs (SOURCES.md: S9 lists 01..20 and 50).
_EXTRA_COUNTIES = (
    ("16", "Sør-Trøndelag", None, date(2017, 12, 31)),
    ("17", "Nord-Trøndelag", None, date(2017, 12, 31)),
)
_COUNTY_STARTS = {("50", "Trøndelag"): date(2018, 1, 1)}

# Official-name changes inside 2020-2023 (municipalities_2020.csv name_official_2023).
# Dates from SOURCES.md; any other difference would be dated at the 2023 version's start.
_RENAMES_2020_2023 = {"1853": date(2022, 1, 1), "5001": date(2023, 1, 1), "5025": date(2023, 1, 1)}


# --------------------------------------------------------------------------------------------
# Data classes


@dataclass(frozen=True)
class County:
    number: str
    name: str
    valid_from: date | None  # None = before the reference data begins
    valid_to: date | None  # None = still valid

    def valid_at(self, d: date) -> bool:
        return (self.valid_from is None or self.valid_from <= d) and (
            self.valid_to is None or d <= self.valid_to
        )


@dataclass(frozen=True)
class MunicipalityPeriod:
    """One number + name of one municipality over one validity period."""

    entity: str
    number: str
    name: str
    name_official: str
    county: County
    valid_from: date | None
    valid_to: date | None
    #: True when another municipality (another entity) with the same short name is valid at an
    #: overlapping time. Precomputed by the gazetteer; used by :meth:`qualified_name`.
    shares_name: bool = field(default=False, compare=False, repr=False)

    def valid_at(self, d: date) -> bool:
        return (self.valid_from is None or self.valid_from <= d) and (
            self.valid_to is None or d <= self.valid_to
        )

    def overlaps(self, other: MunicipalityPeriod) -> bool:
        return _overlap(self.valid_from, self.valid_to, other.valid_from, other.valid_to)

    def label(self) -> str:
        """``"Drammen (3005)"``."""
        return f"{self.name} ({self.number})"

    def qualified_name(self) -> str:
        """``"Våler (Viken)"`` when the short name is shared at an overlapping time, else name.

        The qualifier is the disambiguation of the official name where it has one, else the
        county name.
        """
        if not self.shares_name:
            return self.name
        return f"{self.name} ({_disambiguation(self.name_official) or self.county.name})"


@dataclass(frozen=True)
class Change:
    date: date
    kind: str  # renumbered | renamed | renumbered_and_renamed | merged | split | split_and_merged
    before: MunicipalityPeriod
    after: MunicipalityPeriod


@dataclass(frozen=True)
class Resolution:
    status: str  # "ok" | "unknown" | "ambiguous" | "not_valid_at_date"
    period: MunicipalityPeriod | None = None
    candidates: tuple[MunicipalityPeriod, ...] = ()
    suggestions: tuple[MunicipalityPeriod, ...] = ()
    normalised: bool = False

    @property
    def ok(self) -> bool:
        return self.status == OK


# --------------------------------------------------------------------------------------------
# Helpers


def _overlap(a0: date | None, a1: date | None, b0: date | None, b1: date | None) -> bool:
    return (a0 is None or b1 is None or a0 <= b1) and (b0 is None or a1 is None or b0 <= a1)


def _start_key(d: date | None) -> date:
    return date.min if d is None else d


_KEEP = frozenset("æøå")
# Letters that do not decompose under NFD but are "accented" forms of a latin letter.
_FOLD = str.maketrans({"ŋ": "n", "đ": "d", "ŧ": "t", "ʒ": "z", "ǥ": "g", "ǩ": "k", "ð": "d"})
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212_]+")


@cache
def _normalise_cached(text: str) -> str:
    s = unicodedata.normalize("NFC", text).casefold()
    if not s.isascii():
        out: list[str] = []
        for ch in s.translate(_FOLD):
            if ch in _KEEP:
                out.append(ch)
            else:
                out.extend(
                    c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)
                )
        s = "".join(out)
    return _SEPARATORS.sub(" ", s).strip()


def normalise_name(text: str) -> str:
    """The matching key of a name.

    Case-insensitive; accents removed (é, á, š, ŋ -> e, a, s, n) but æ, ø, å kept as the
    distinct letters they are; hyphens, dashes and runs of whitespace become one space;
    surrounding whitespace ignored. ``"Sør  Aurdal" == "sør-aurdal" == "Sør–Aurdal"``.
    """
    return _normalise_cached(text)


_ASCII_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


def _ascii_key(key: str) -> str:
    """A looser key (æøå folded) used only to rank suggestions, never to match."""
    return key.translate(_ASCII_FOLD)


_PAREN = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_LANG_SEP = re.compile(r"\s+[-\u2013\u2014]\s+")


def _disambiguation(official: str) -> str | None:
    m = _PAREN.match(official)
    return m.group(2).strip() if m else None


def _strip_disambiguation(official: str) -> str:
    m = _PAREN.match(official)
    return m.group(1) if m else official


def _name_keys(name: str, official: str) -> set[str]:
    base = _strip_disambiguation(official)
    keys = {normalise_name(name), normalise_name(base)}
    keys.update(normalise_name(part) for part in _LANG_SEP.split(base))
    keys.discard("")
    return keys


def _exact_forms(p: MunicipalityPeriod) -> frozenset[str]:
    """Spellings that count as official (compared after strip + casefold)."""
    base = _strip_disambiguation(p.name_official)
    forms = {p.name, p.name_official, base, p.qualified_name(), f"{p.name} ({p.county.name})"}
    forms.update(_LANG_SEP.split(base))
    return frozenset(unicodedata.normalize("NFC", f).casefold() for f in forms)


def mod11_ok(orgnr: str) -> bool:
    """Check a Norwegian organisation number (9 digits, modulus 11, weights 3 2 7 6 5 4 3 2).

    Spaces are ignored (``"923 609 016"``). Check digit = 11 - sum % 11; 11 gives 0 and 10
    means the number is invalid.
    """
    digits = "".join(orgnr.split())
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], (3, 2, 7, 6, 5, 4, 3, 2), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[8])


# --------------------------------------------------------------------------------------------
# Gazetteer


_NUMBER = re.compile(r"\d{3,4}")
_NUMBER_NAME = re.compile(r"(\d{3,4})\s+(\D.*)")
_NAME_NUMBER = re.compile(r"(.*?\S)\s*\(\s*(\d{3,4})\s*\)")
_SUFFIX = " kommune"


class Gazetteer:
    """All municipalities and counties with their history. Build with :func:`load_gazetteer`."""

    counties: tuple[County, ...]
    periods: tuple[MunicipalityPeriod, ...]
    changes: tuple[Change, ...]

    def __init__(
        self,
        counties: Iterable[County],
        periods: Iterable[MunicipalityPeriod],
        changes: Iterable[Change],
        population: dict[tuple[str, int], int] | None = None,
    ) -> None:
        self.counties = tuple(sorted(counties, key=lambda c: (c.number, _start_key(c.valid_from))))
        self.periods = tuple(sorted(periods, key=lambda p: (p.number, _start_key(p.valid_from))))
        self.changes = tuple(
            sorted(changes, key=lambda c: (c.date, c.before.number, c.after.number))
        )
        self._population = dict(population or {})

        self._by_number: dict[str, list[MunicipalityPeriod]] = {}
        self._by_entity: dict[str, list[MunicipalityPeriod]] = {}
        self._by_key: dict[str, list[MunicipalityPeriod]] = {}
        self._forms: dict[MunicipalityPeriod, frozenset[str]] = {}
        self._keys: dict[MunicipalityPeriod, tuple[str, ...]] = {}
        self._quals: dict[MunicipalityPeriod, frozenset[str]] = {}
        entity_quals: dict[str, set[str]] = {}
        for p in self.periods:
            self._by_number.setdefault(p.number, []).append(p)
            self._by_entity.setdefault(p.entity, []).append(p)
            self._keys[p] = tuple(sorted(_name_keys(p.name, p.name_official)))
            for key in self._keys[p]:
                self._by_key.setdefault(key, []).append(p)
            self._forms[p] = _exact_forms(p)
            quals = {normalise_name(p.county.name)}
            dis = _disambiguation(p.name_official)
            if dis:
                quals.add(normalise_name(dis))
            self._quals[p] = frozenset(quals)
            entity_quals.setdefault(p.entity, set()).update(quals)
        self._entity_quals = {e: frozenset(q) for e, q in entity_quals.items()}
        for lst in (*self._by_number.values(), *self._by_entity.values(), *self._by_key.values()):
            lst.sort(key=lambda p: _start_key(p.valid_from))

        self._succ: dict[MunicipalityPeriod, list[MunicipalityPeriod]] = {}
        self._pred: dict[MunicipalityPeriod, list[MunicipalityPeriod]] = {}
        for c in self.changes:
            self._succ.setdefault(c.before, []).append(c.after)
            self._pred.setdefault(c.after, []).append(c.before)
        self._ancestors: dict[str, frozenset[str]] = {}
        self._cache: dict[tuple[str, date | None, date | None], Resolution] = {}
        self._pools: dict[
            tuple[date | None, date | None],
            tuple[dict[str, list[MunicipalityPeriod]], dict[str, list[str]]],
        ] = {}

    # -- lookups -------------------------------------------------------------------------------

    def by_number(self, number: str, at: date) -> MunicipalityPeriod | None:
        for p in self._by_number.get(number.strip().zfill(4), ()):
            if p.valid_at(at):
                return p
        return None

    def number_history(self, number: str) -> list[MunicipalityPeriod]:
        return list(self._by_number.get(number.strip().zfill(4), ()))

    def entity_periods(self, entity: str) -> list[MunicipalityPeriod]:
        """The periods of one entity, sorted by time."""
        return list(self._by_entity.get(entity, ()))

    def entities(self) -> list[str]:
        return sorted(self._by_entity)

    def valid_at(self, at: date) -> list[MunicipalityPeriod]:
        """All municipalities valid that day, sorted by number."""
        return [p for p in self.periods if p.valid_at(at)]

    def counties_at(self, at: date) -> list[County]:
        return [c for c in self.counties if c.valid_at(at)]

    def county_by_name(self, name: str, at: date) -> County | None:
        key = normalise_name(name)
        for c in self.counties:
            if c.valid_at(at) and normalise_name(c.name) == key:
                return c
        return None

    def county_by_number(self, number: str, at: date) -> County | None:
        for c in self.counties:
            if c.number == number and c.valid_at(at):
                return c
        return None

    def successors(self, period: MunicipalityPeriod) -> list[MunicipalityPeriod]:
        return list(self._succ.get(period, ()))

    def predecessors(self, period: MunicipalityPeriod) -> list[MunicipalityPeriod]:
        return list(self._pred.get(period, ()))

    def changes_of(self, period: MunicipalityPeriod) -> list[Change]:
        """Changes that end or start ``period``."""
        return [c for c in self.changes if period in (c.before, c.after)]

    # -- population ----------------------------------------------------------------------------

    def population(self, number: str, year: int) -> int | None:
        """Population on 1 January of ``year`` under the code in force that day (2020-2026)."""
        return self._population.get((number.strip().zfill(4), year))

    def population_years(self) -> list[int]:
        """The years the shipped population figures cover (per 1 January)."""
        return sorted({year for (_, year) in self._population})

    def population_of(self, period_or_entity: MunicipalityPeriod | str, year: int) -> int | None:
        """Population of the entity on 1 January of ``year``, via its code in force that day."""
        entity = (
            period_or_entity.entity
            if isinstance(period_or_entity, MunicipalityPeriod)
            else period_or_entity
        )
        day = date(year, 1, 1)
        for p in self._by_entity.get(entity, ()):
            if p.valid_at(day):
                return self.population(p.number, year)
        return None

    # -- resolution ----------------------------------------------------------------------------

    def resolve(
        self, text: str, at: date | None = None, *, until: date | None = None
    ) -> Resolution:
        """Resolve a municipality number or name.

        ``text``: ``"3005"``, ``"3005 Drammen"``, ``"Drammen (3005)"`` (number and name must
        agree, else ``ambiguous`` with both), a name, or a qualified name ``"Våler (Viken)"``
        (qualifier = the period's county name or its official disambiguation; failing that,
        any county or disambiguation the same entity ever had).

        ``at``: only periods valid that day count. A text that matches only at other times gives
        ``not_valid_at_date`` with those periods as candidates.

        ``until``: (for arrangements that ran before ``until``) every period starting before
        ``until`` counts (``valid_from`` None counts). Per entity the latest matching period is
        taken. Several entities are ``ambiguous`` - except when all of them are predecessors
        (through mergers/splits, transitively) of the latest one: then the name continued into
        that successor and the latest is taken ("Drammen" until 2021-11-01 -> 3005, whereas
        "Sande" until 2020-01-01 -> 0713 and 1514 -> ambiguous).

        Neither ``at`` nor ``until``: like ``until`` without a limit.

        ``unknown`` gives up to three ``suggestions`` valid at the date (or in the window),
        best first.
        """
        if at is not None and until is not None:
            raise ValueError("give at or until, not both")
        ckey = (text, at, until)
        hit = self._cache.get(ckey)
        if hit is None:
            hit = self._resolve(text, at, until)
            if len(self._cache) >= 100_000:
                self._cache.clear()
            self._cache[ckey] = hit
        return hit

    def _resolve(self, text: str, at: date | None, until: date | None) -> Resolution:
        raw = text.strip()
        if _NUMBER.fullmatch(raw):
            return self._resolve_number(raw.zfill(4), at, until)
        m = _NUMBER_NAME.fullmatch(raw)
        if m is None:
            m2 = _NAME_NUMBER.fullmatch(raw)
            if m2 is not None:
                return self._combine(m2.group(2), m2.group(1), at, until)
            return self._resolve_name(raw, at, until)
        return self._combine(m.group(1), m.group(2), at, until)

    def _combine(self, number: str, name: str, at: date | None, until: date | None) -> Resolution:
        by_num = self._resolve_number(number.zfill(4), at, until)
        if by_num.period is None:
            return by_num
        by_name = self._resolve_name(name, at, until)
        p = by_num.period
        if p == by_name.period or (by_name.status == AMBIGUOUS and p in by_name.candidates):
            normalised = unicodedata.normalize("NFC", name.strip()).casefold() not in self._forms[p]
            return Resolution(OK, p, normalised=normalised)
        others = by_name.candidates if by_name.period is None else (by_name.period,)
        return Resolution(AMBIGUOUS, candidates=_unique((p, *others)))

    def _window(
        self, periods: Iterable[MunicipalityPeriod], at: date | None, until: date | None
    ) -> list[MunicipalityPeriod]:
        if at is not None:
            return [p for p in periods if p.valid_at(at)]
        if until is not None:
            return [p for p in periods if p.valid_from is None or p.valid_from < until]
        return list(periods)

    def _pick(
        self, matches: list[MunicipalityPeriod], at: date | None, until: date | None
    ) -> Resolution:
        """Choose among matching periods (already sorted by time) within the window."""
        inside = self._window(matches, at, until)
        if not inside:
            return Resolution(NOT_VALID_AT_DATE, candidates=tuple(matches))
        latest: dict[str, MunicipalityPeriod] = {}
        for p in inside:  # sorted by start, so the last one per entity wins
            latest[p.entity] = p
        if len(latest) == 1:
            return Resolution(OK, inside[-1])
        chosen = list(latest.values())
        if at is None:
            last = max(chosen, key=lambda p: _start_key(p.valid_from))
            ancestors = self._entity_ancestors(last.entity)
            if all(p.entity in ancestors for p in chosen if p is not last):
                return Resolution(OK, last)
        return Resolution(AMBIGUOUS, candidates=tuple(sorted(chosen, key=lambda p: p.number)))

    def _resolve_number(self, number: str, at: date | None, until: date | None) -> Resolution:
        history = self._by_number.get(number)
        if not history:
            return Resolution(UNKNOWN)
        return self._pick(history, at, until)

    def _resolve_name(self, text: str, at: date | None, until: date | None) -> Resolution:
        m = _PAREN.match(text)
        base, qual = (m.group(1), m.group(2)) if m else (text, None)
        key = normalise_name(base)
        matches = self._by_key.get(key)
        if matches is None and key.endswith(_SUFFIX):  # "Drammen kommune"
            key = key.removesuffix(_SUFFIX)
            matches = self._by_key.get(key)
        if not matches:
            return Resolution(UNKNOWN, suggestions=self._suggest(key, at, until))
        if qual is not None:
            qkey = normalise_name(qual)
            inside = self._window(matches, at, until)
            # 1. the qualifier is the period's county or official disambiguation;
            # 2. it is a county or disambiguation the same municipality had at another time
            #    ("Våler (Østfold)" on 2021-11-01 -> 3018 Våler (Viken));
            # 3. it only fits periods outside the window -> not_valid_at_date.
            chosen = [p for p in inside if qkey in self._quals[p]] or [
                p for p in inside if qkey in self._entity_quals[p.entity]
            ]
            if not chosen:
                other = [p for p in matches if qkey in self._quals[p]]
                if other:
                    return Resolution(NOT_VALID_AT_DATE, candidates=tuple(other))
                # The name exists, but not in that county: offer the ones that do.
                return Resolution(UNKNOWN, suggestions=tuple(inside[:3]))
            matches = chosen
        res = self._pick(matches, at, until)
        if res.period is None:
            return res
        normalised = (
            unicodedata.normalize("NFC", text.strip()).casefold() not in self._forms[res.period]
        )
        return Resolution(OK, res.period, normalised=normalised)

    def _entity_ancestors(self, entity: str) -> frozenset[str]:
        known = self._ancestors.get(entity)
        if known is not None:
            return known
        seen: set[str] = set()
        todo = [entity]
        while todo:
            for p in self._by_entity.get(todo.pop(), ()):
                for q in self._pred.get(p, ()):
                    if q.entity != entity and q.entity not in seen:
                        seen.add(q.entity)
                        todo.append(q.entity)
        result = frozenset(seen)
        self._ancestors[entity] = result
        return result

    def suggest(
        self, text: str, at: date | None = None, *, until: date | None = None, n: int = 3
    ) -> tuple[MunicipalityPeriod, ...]:
        """Nearest names valid at ``at`` (or in the ``until`` window), best first."""
        return self._suggest(normalise_name(text), at, until, n)

    def _suggest(
        self, key: str, at: date | None, until: date | None, n: int = 3
    ) -> tuple[MunicipalityPeriod, ...]:
        pool, folded = self._pool(at, until)
        ranked = list(folded.get(_ascii_key(key), ()))  # "Al" -> Ål, "sor aurdal" -> Sør-Aurdal
        ranked += difflib.get_close_matches(key, list(pool), n=2 * n, cutoff=0.6)
        out: list[MunicipalityPeriod] = []
        for k in ranked:
            for p in pool[k]:
                if all(q.entity != p.entity for q in out):
                    out.append(p)
        return tuple(out[:n])

    def _pool(
        self, at: date | None, until: date | None
    ) -> tuple[dict[str, list[MunicipalityPeriod]], dict[str, list[str]]]:
        """Name keys of the periods in a window (newest period first), and their ASCII folds."""
        wkey = (at, until)
        hit = self._pools.get(wkey)
        if hit is None:
            pool: dict[str, list[MunicipalityPeriod]] = {}
            for p in sorted(
                self._window(self.periods, at, until),
                key=lambda p: _start_key(p.valid_from),
                reverse=True,
            ):
                for k in self._keys[p]:
                    pool.setdefault(k, []).append(p)
            folded: dict[str, list[str]] = {}
            for k in pool:
                folded.setdefault(_ascii_key(k), []).append(k)
            if len(self._pools) >= 64:
                self._pools.clear()
            hit = self._pools[wkey] = (pool, folded)
        return hit

    def __repr__(self) -> str:
        return (
            f"<Gazetteer {len(self.counties)} counties, {len(self.periods)} periods, "
            f"{len(self.changes)} changes>"
        )


def _unique(items: Iterable[MunicipalityPeriod]) -> tuple[MunicipalityPeriod, ...]:
    out: list[MunicipalityPeriod] = []
    for p in items:
        if p not in out:
            out.append(p)
    return tuple(out)


# --------------------------------------------------------------------------------------------
# Building from the reference CSVs


class _Raw:
    """A mutable period while the history is assembled."""

    __slots__ = (
        "alias",
        "county",
        "name",
        "name_official",
        "number",
        "parent",
        "valid_from",
        "valid_to",
    )

    def __init__(
        self,
        number: str,
        name: str,
        name_official: str,
        county: County,
        valid_from: date | None,
        valid_to: date | None,
    ) -> None:
        self.number = number
        self.name = name
        self.name_official = name_official
        self.county = county
        self.valid_from = valid_from
        self.valid_to = valid_to
        self.alias: _Raw | None = None  # merged into another raw period
        self.parent: _Raw = self  # union-find for entities

    def canon(self) -> _Raw:
        r = self
        while r.alias is not None:
            r = r.alias
        return r

    def same_as(self, other: _Raw) -> bool:
        return (self.number, self.name, self.name_official, self.county) == (
            other.number,
            other.name,
            other.name_official,
            other.county,
        )


def _find(r: _Raw) -> _Raw:
    while r.parent is not r:
        r.parent = r.parent.parent
        r = r.parent
    return r


def _rows(root: Traversable, name: str) -> Iterator[dict[str, str]]:
    with root.joinpath(name).open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def _iso(text: str) -> date:
    return date.fromisoformat(text)


class _Builder:
    def __init__(self, root: Traversable) -> None:
        self.root = root
        self.raws: list[_Raw] = []
        self.changes: list[tuple[date, str, _Raw, _Raw]] = []
        self.counties: list[County] = []

    def county(self, number: str, on: date | None) -> County:
        for c in self.counties:
            if c.number == number and (on is None or c.valid_at(on)):
                return c
        raise ValueError(f"no county {number} valid on {on}")

    def new(
        self,
        number: str,
        name: str,
        official: str,
        county: County,
        valid_from: date | None,
        valid_to: date | None,
    ) -> _Raw:
        r = _Raw(number, name, official, county, valid_from, valid_to)
        self.raws.append(r)
        return r

    def link(self, d: date, kind: str, before: _Raw, after: _Raw) -> None:
        """Record a change, or merge the two periods when nothing about them changed."""
        before, after = before.canon(), after.canon()
        if kind == "unchanged" and before.same_as(after):
            before.valid_to = after.valid_to
            after.alias = before
            return
        if kind == "unchanged":  # only the official name (its disambiguation) changed
            kind = "renamed"
        self.changes.append((d, kind, before, after))

    def build_counties(
        self,
        rows19: list[dict[str, str]],
        rows20: list[dict[str, str]],
        rows24: list[dict[str, str]],
    ) -> None:
        spans: dict[tuple[str, str], tuple[date | None, date | None]] = {}
        order = (
            (rows19, None, _END_2019),
            (rows20, _START_2020, _END_2023),
            (rows24, _START_2024, None),
        )
        for rows, start, end in order:
            for key in sorted({(r["fylkesnummer"], r["fylkesnavn"]) for r in rows}):
                if key in spans:  # same number and name continue: one county, combined period
                    spans[key] = (spans[key][0], end)
                else:
                    spans[key] = (_COUNTY_STARTS.get(key, start), end)
        self.counties = [County(n, name, a, b) for (n, name), (a, b) in spans.items()]
        self.counties += [County(*extra) for extra in _EXTRA_COUNTIES]

    def build(self) -> Gazetteer:
        root = self.root
        rows19 = list(_rows(root, "municipalities_2019.csv"))
        rows20 = list(_rows(root, "municipalities_2020.csv"))
        rows24 = list(_rows(root, "municipalities_2024.csv"))
        self.build_counties(rows19, rows20, rows24)

        # 2019 structure (valid on 2019-12-31); start unknown until the change records say.
        current: dict[str, _Raw] = {}
        p19: dict[str, _Raw] = {}
        for r in rows19:
            n = r["kommunenummer"]
            p19[n] = current[n] = self.new(
                n,
                r["name"],
                r["name_official"],
                self.county(r["fylkesnummer"], _END_2019),
                None,
                _END_2019,
            )

        # 2017-2019 change records, newest first: each record starts the new code's period on
        # its date and creates the old code's period ending the day before.
        by_date: dict[date, list[dict[str, str]]] = {}
        for r in _rows(root, "code_changes_2017_2019.csv"):
            by_date.setdefault(_iso(r["change_date"]), []).append(r)
        for d in sorted(by_date, reverse=True):
            records = by_date[d]
            afters = []
            for r in records:
                after = current[r["kommunenummer_new"]]
                if after.valid_from not in (None, d):
                    raise ValueError(f"inconsistent change records for {after.number} on {d}")
                after.valid_from = d
                afters.append(after)
            olds: dict[str, _Raw] = {}
            for r, after in zip(records, afters, strict=True):
                n = r["kommunenummer_old"]
                if n not in olds:
                    olds[n] = self.new(
                        n,
                        r["name_old"],
                        r["name_official_old"],
                        self.county(r["fylkesnummer_old"], d - _ONE_DAY),
                        None,
                        d - _ONE_DAY,
                    )
                self.changes.append((d, r["change_type"], olds[n], after))
            current.update(olds)

        # 2020-2023 structure, with official-name changes inside it as sub-periods.
        start20: dict[str, _Raw] = {}
        end20: dict[str, _Raw] = {}
        for r in rows20:
            n = r["kommunenummer"]
            county = self.county(r["fylkesnummer"], _START_2020)
            first = self.new(n, r["name"], r["name_official"], county, _START_2020, None)
            start20[n] = end20[n] = first
            if r["name_official_2023"] != r["name_official"]:
                d = _RENAMES_2020_2023.get(n, date(2023, 1, 1))
                first.valid_to = d - _ONE_DAY
                later = self.new(n, r["name"], r["name_official_2023"], county, d, None)
                self.changes.append((d, "renamed", first, later))
                end20[n] = later

        for r in _rows(root, "code_changes_2020.csv"):
            self.link(
                _START_2020,
                r["change_type"],
                p19[r["kommunenummer_2019"]],
                start20[r["kommunenummer_2020"]],
            )

        # 2024 structure.
        p24: dict[str, _Raw] = {}
        for r in rows24:
            n = r["kommunenummer"]
            p24[n] = self.new(
                n,
                r["name"],
                r["name_official"],
                self.county(r["fylkesnummer"], _START_2024),
                _START_2024,
                None,
            )
        for r in _rows(root, "code_changes.csv"):
            before = end20[r["kommunenummer_2020"]].canon()
            if r["change_type"] != "unchanged":
                before.valid_to = _END_2023
            self.link(_START_2024, r["change_type"], before, p24[r["kommunenummer_2024"]])

        return self.freeze(self.population())

    def population(self) -> dict[tuple[str, int], int]:
        return {
            (r["kommunenummer"], int(r["year"])): int(r["population"])
            for r in _rows(self.root, "population.csv")
        }

    def freeze(self, population: dict[tuple[str, int], int]) -> Gazetteer:
        raws = [r for r in self.raws if r.alias is None]
        changes = [(d, k, b.canon(), a.canon()) for d, k, b, a in self.changes]
        for _d, kind, b, a in changes:
            if kind in SAME_ENTITY_KINDS:
                rb, ra = _find(b), _find(a)
                if rb is not ra:
                    ra.parent = rb
        groups: dict[int, list[_Raw]] = {}
        for r in raws:
            groups.setdefault(id(_find(r)), []).append(r)
        entity_of: dict[int, str] = {}
        for members in groups.values():
            members.sort(key=lambda r: _start_key(r.valid_from))
            for prev, nxt in itertools.pairwise(members):
                if prev.valid_to is None or nxt.valid_from != prev.valid_to + _ONE_DAY:
                    raise ValueError(f"entity periods not contiguous: {prev.number}/{nxt.number}")
            first = members[0]
            key = f"{first.number}@{first.valid_from.isoformat() if first.valid_from else ''}"
            for r in members:
                entity_of[id(r)] = key

        # Short names shared by two entities at an overlapping time.
        by_name: dict[str, list[_Raw]] = {}
        for r in raws:
            by_name.setdefault(normalise_name(r.name), []).append(r)
        shared: set[int] = set()
        for same in by_name.values():
            for i, a in enumerate(same):
                for b in same[i + 1 :]:
                    if entity_of[id(a)] != entity_of[id(b)] and _overlap(
                        a.valid_from, a.valid_to, b.valid_from, b.valid_to
                    ):
                        shared.update((id(a), id(b)))

        frozen = {
            id(r): MunicipalityPeriod(
                entity_of[id(r)],
                r.number,
                r.name,
                r.name_official,
                r.county,
                r.valid_from,
                r.valid_to,
                id(r) in shared,
            )
            for r in raws
        }
        return Gazetteer(
            self.counties,
            frozen.values(),
            (Change(d, k, frozen[id(b)], frozen[id(a)]) for d, k, b, a in changes),
            population,
        )


def build_gazetteer(root: Traversable | None = None) -> Gazetteer:
    """Build a gazetteer from a directory holding the reference CSVs (default: ``data``)."""
    if root is None:
        root = resources.files("samarbeid.reference").joinpath("data")
    return _Builder(root).build()


@cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer of the packaged reference data (built once per process)."""
    return build_gazetteer()
