"""Extent, analysis 4: when the arrangements were established, by period and by year, and the
arrangements that are new since a given year (with their participants)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..cache import counted as _counted
from ..frames import _ids, _ids_by, _norwegian_key, _pct
from ..members import membership_index
from ..model import MappingData, Table

UNSPECIFIED_PERIOD = "Over lengre tid (uspesifisert)"


def _period_labels(data: MappingData) -> list[str]:
    return [f"2015–{data.cutoff.year}", "2000–2014", "Før 2000", UNSPECIFIED_PERIOD]


def _bucket(years: pd.Series) -> pd.Series:
    """0 = 2015 or later, 1 = 2000–2014, 2 = before 2000, -1 = unknown."""
    values = years.astype("float64").to_numpy()
    out = np.select([values >= 2015, values >= 2000, values < 2000], [0, 1, 2], -1)
    return pd.Series(out, index=years.index)


def _establishment(data: MappingData) -> pd.DataFrame:
    """Counted arrangements with: start, end (end = start for an exact year), exact (bool),
    period (index into the period labels, -1 unknown or spanning several periods)."""
    counted = _counted(data)
    frame = pd.DataFrame({"ref": counted["ref"].astype(str), "name": counted["name"].astype(str)})
    start = pd.to_numeric(counted["established_from"], errors="coerce")
    end = pd.to_numeric(counted["established_to"], errors="coerce").fillna(start)
    unspecified = counted["established_unspecified"].fillna(False).astype(bool)
    frame["start"], frame["end"], frame["unspecified"] = start, end, unspecified
    first, last = _bucket(start), _bucket(end)
    period = np.where(unspecified, 3, np.where((first >= 0) & (first == last), first, -1))
    frame["period"] = period.astype(int)
    frame["exact"] = ~unspecified & start.notna() & (start == end)
    return frame


def establishment_periods(data: MappingData) -> Table:
    """Analysis 4: arrangements by period of establishment, percent over those with a known
    period (including "over a longer time, unspecified")."""
    frame = _establishment(data)
    labels = _period_labels(data)
    known = frame[frame["period"] >= 0]
    by_period = _ids_by(known, "period")
    n = len(known)
    rows, ids = [], []
    for i, label in enumerate(labels):
        refs = by_period.get(i, [])
        rows.append([label, len(refs), _pct(len(refs), n)])
        ids.append(refs)
    after = known[(known["period"] == 0) & (known["start"] > data.cutoff.year)]
    spanning = frame[(frame["period"] < 0) & frame["start"].notna()]
    note = (
        "Ordninger med et tidsrom (f.eks. 2015–2021) telles i perioden tidsrommet ligger innenfor."
    )
    if len(after):
        refs = ", ".join(_ids(after["ref"]))
        note += f" {len(after)} ordninger etablert etter skjæringsåret er med i første periode ({refs})."
    if len(spanning):
        note += (
            f" {len(spanning)} ordninger har et tidsrom som går over flere perioder og er utelatt."
        )
    return Table(
        id="etablering_periode",
        title="Etableringstidspunkt",
        n=n,
        columns=["periode", "ordninger", "prosent"],
        rows=rows,
        ids=ids,
        missing=_ids(frame.loc[frame["period"] < 0, "ref"]),
        missing_reason="Ukjent etableringsår, eller et tidsrom som ikke ligger innenfor én periode.",
        caption=f"Ordninger etter etableringsperiode. Prosent av ordningene med kjent periode (n = {n}).",
        note=note,
    )


def establishment_years(data: MappingData) -> Table:
    """Analysis 4: arrangements by exact year of establishment (for a histogram)."""
    frame = _establishment(data)
    exact = frame[frame["exact"]].copy()
    exact["year"] = exact["start"].astype(int)
    by_year = _ids_by(exact, "year")
    years = sorted(by_year)
    return Table(
        id="etablering_ar",
        title="Etableringsår",
        n=len(exact),
        columns=["ar", "ordninger"],
        rows=[[int(y), len(by_year[y])] for y in years],
        ids=[by_year[y] for y in years],
        missing=_ids(frame.loc[~frame["exact"], "ref"]),
        missing_reason="Uten eksakt etableringsår (ukjent, bare tidsrom eller uspesifisert).",
        caption=f"Ordninger etter etableringsår, for ordningene med kjent år (n = {len(exact)}).",
    )


def _participant_lists(data: MappingData, refs: Iterable[str]) -> dict[str, str]:
    """All participants (any kind) of the given counted arrangements, names joined with "; "
    (in the order of the memberships, each name once)."""
    index = membership_index(data)
    wanted = np.zeros(len(index.refs), dtype=bool)
    codes = index.codes_of(refs)
    wanted[codes[codes >= 0]] = True
    rows = np.flatnonzero(wanted[index.ref])
    names: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = set()
    for ref, name in zip(
        index.refs[index.ref[rows]].tolist(), index.name[rows].tolist(), strict=True
    ):
        if not isinstance(name, str):
            name = "" if pd.isna(name) else str(name)
        if name and (ref, name) not in seen:
            seen.add((ref, name))
            names.setdefault(ref, []).append(name)
    return {ref: "; ".join(group) for ref, group in names.items()}


def new_since(data: MappingData, year: int) -> Table:
    """Analysis 4: the counted arrangements established in or after ``year``, with participants."""
    frame = _establishment(data)
    known = frame["start"].notna() & ~frame["unspecified"]
    new = frame[known & (frame["start"] >= year)].copy()
    new["_sort"] = _norwegian_key(new["name"])
    new = new.sort_values(["start", "_sort", "ref"], kind="stable")
    # Unknown year, or a span that starts before ``year`` and ends in or after it: may be new.
    maybe = frame[
        ~frame["unspecified"]
        & (frame["start"].isna() | ((frame["start"] < year) & (frame["end"] >= year)))
    ]
    participants = _participant_lists(data, new["ref"])
    rows, ids = [], []
    for ref, name, start, end in zip(
        new["ref"], new["name"], new["start"], new["end"], strict=True
    ):
        established = str(int(start)) if start == end else f"{int(start)}–{int(end)}"
        rows.append([ref, name, established, participants.get(ref, "")])
        ids.append([ref])
    return Table(
        id="nye_siden",
        title=f"Nye ordninger etablert {year} eller senere",
        n=len(new),
        columns=["id", "navn", "etablert", "deltakere"],
        rows=rows,
        ids=ids,
        missing=_ids(maybe["ref"]),
        missing_reason=f"Ukjent etableringsår, eller et tidsrom som går over {year}: kan være nye.",
        caption=f"Tellende ordninger etablert i {year} eller senere, med deltakere (n = {len(new)}).",
    )
