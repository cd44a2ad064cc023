"""Extent of cooperation (nivi-method.md section 4, analyses 1–6).

Total, geographic level, arrangements per municipality, size classes, regions, establishment,
staff-years and cross-county cooperation. Every function takes a :class:`MappingData` and returns a
:class:`Table`; only counted arrangements (status "telles") enter, and unknown values (host, year,
legal form) are never read as "none": the arrangements that lack them are listed in ``missing``.

All group-bys are vectorised (pandas), so a mapping with tens of thousands of municipalities and
hundreds of thousands of memberships is analysed in seconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from .arrays import distinct
from .cache import counted as _counted
from .cache import memoised as _memo
from .members import membership_index
from .model import SIZE_CLASSES, MappingData, Table

LOCAL, REGIONAL, HIGHER = (
    "Lokalt (2–3 kommuner)",
    "Regionalt (4–8 kommuner)",
    "Høyere nivå (9 eller flere)",
)
PARTIAL = ("delvis", "gruppe")
SEVERAL_COUNTIES = "Flere fylker"
WHOLE_AREA = "Hele området"
NO_REGION = "Uten region"
UNSPECIFIED_PERIOD = "Over lengre tid (uspesifisert)"


# ---------------------------------------------------------------------------------------------
# Helpers shared with content.py


def _plain(value: Any) -> Any:
    """A pandas/numpy scalar as a plain Python value (NA → None)."""
    if value is None:
        return None
    if isinstance(value, (list, tuple, dict, str)):
        return value
    if pd.isna(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _pct(part: float, whole: float) -> float | None:
    """Percent rounded to one decimal; None when there is nothing to take a share of."""
    if not whole:
        return None
    return round(100.0 * float(part) / float(whole), 1)


def _mean(total: float, count: int) -> float | None:
    return round(float(total) / count, 1) if count else None


def _ids(refs: Iterable[Any]) -> list[str]:
    if isinstance(refs, pd.Series):
        # Distinct values first: iterating a column of pandas' string dtype boxes every element.
        refs = refs.unique().tolist()
    return sorted({str(r) for r in refs})


def _ids_by(frame: pd.DataFrame, key: str, ref: str = "ref") -> dict[Any, list[str]]:
    """Sorted distinct refs per value of ``key``, vectorised (no per-group Python aggregation)."""
    if frame.empty:
        return {}
    key_codes, key_values = pd.factorize(frame[key])
    ref_codes, ref_values = pd.factorize(frame[ref].astype(str), sort=True)
    width = max(len(ref_values), 1)
    pairs = distinct(key_codes.astype(np.int64) * width + ref_codes)
    keys, refs = pairs // width, pairs % width
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    names = np.asarray(ref_values, dtype=object)[refs]
    groups = np.split(names, starts[1:])
    labels = pd.Index(key_values).take(keys[starts]).tolist()
    return {label: group.tolist() for label, group in zip(labels, groups, strict=True)}


def _municipal_members(data: MappingData) -> pd.DataFrame:
    return _memo(data, "municipal_members", lambda: _compute_municipal_members(data))


def _compute_municipal_members(data: MappingData) -> pd.DataFrame:
    """Municipal participants of counted arrangements, one row per (ref, municipality).

    Columns: ref, key (entity, or number/name where the entity is missing), entity, name,
    county_number, county_name, in_scope.
    """
    m = data.memberships
    m = m[(m["kind"] == "kommune") & m["ref"].isin(_counted(data)["ref"])]
    entity = m["entity"].fillna("").astype(str)
    key = entity
    blank = entity == ""
    if blank.any():
        number = m.loc[blank, "number"].fillna("").astype(str)
        name = m.loc[blank, "name"].fillna("").astype(str)
        fallback = ("nr:" + number).where(number != "", "navn:" + name)
        key = entity.mask(blank, fallback)
    out = pd.DataFrame(
        {
            "ref": m["ref"].astype(str),
            "key": key,
            "entity": entity,
            "name": m["name"].fillna("").astype(str),
            "county_number": m["county_number"].fillna("").astype(str),
            "county_name": m["county_name"].fillna("").astype(str),
            "in_scope": m["in_scope"].astype(bool),
        }
    )
    return out.drop_duplicates(["ref", "key"])


def _scope(data: MappingData) -> pd.DataFrame:
    return data.municipalities.drop_duplicates("entity")


def _participation(data: MappingData) -> pd.DataFrame:
    """(entity, ref) for every scope municipality taking part in a counted arrangement."""
    return _memo(data, "participation", lambda: _compute_participation(data))


def _compute_participation(data: MappingData) -> pd.DataFrame:
    members = _municipal_members(data)
    scope = set(_scope(data)["entity"])
    members = members[members["entity"].isin(scope)]
    return members[["entity", "ref"]].drop_duplicates()


def _norwegian_key(values: pd.Series) -> pd.Series:
    """Sort key that puts æ, ø, å after z, in that order (Norwegian alphabet)."""
    table = str.maketrans({"æ": "{", "ø": "|", "å": "}", "ä": "{", "ö": "|", "ü": "y"})
    return values.fillna("").astype(str).str.lower().str.translate(table)


def _known_host(arrangements: pd.DataFrame) -> pd.Series:
    return (arrangements["host_status"] == "kommune") & (
        arrangements["host_entity"].fillna("") != ""
    )


# ---------------------------------------------------------------------------------------------
# 1. Total


def total(data: MappingData) -> Table:
    """Analysis 1: the number of counted arrangements."""
    counted = _counted(data)
    statuses = data.arrangements["status"].value_counts()
    ended, excluded = int(statuses.get("avsluttet", 0)), int(statuses.get("utenfor", 0))
    return Table(
        id="totalt",
        title="Antall samarbeidsordninger",
        n=len(counted),
        columns=["ordninger"],
        rows=[[len(counted)]],
        ids=[_ids(counted["ref"])],
        caption=(
            f"Tellende formelle samarbeidsordninger i kartleggingen (n = {len(counted)}). "
            "Avsluttede ordninger og ordninger utenfor definisjonen telles ikke."
        ),
        note=f"Registrert, men ikke telt: {ended} avsluttet, {excluded} utenfor definisjonen.",
    )


# ---------------------------------------------------------------------------------------------
# 2. Geographic level


def _municipal_counts(data: MappingData) -> pd.DataFrame:
    """Per counted arrangement: listed municipal participants, and the count used for its size
    (the stated count where the list is partial or a group and the stated count is larger)."""
    counted = _counted(data)[["ref", "participant_count_stated", "completeness"]].copy()
    counted["ref"] = counted["ref"].astype(str)
    listed = _municipal_members(data).groupby("ref").size()
    counted["listed"] = counted["ref"].map(listed).fillna(0).astype(int)
    stated = pd.to_numeric(counted["participant_count_stated"], errors="coerce")
    use_stated = (
        counted["completeness"].isin(PARTIAL) & stated.notna() & (stated > counted["listed"])
    )
    counted["used_stated"] = use_stated.fillna(False).astype(bool)
    counted["municipalities"] = np.where(
        counted["used_stated"], stated.fillna(0), counted["listed"]
    )
    counted["municipalities"] = counted["municipalities"].astype(int)
    return counted


def geographic_level(data: MappingData) -> Table:
    """Analysis 2: local (2–3), regional (4–8) or higher level (9+) by the number of
    participating municipalities, inside or outside the mapped area."""
    sizes = _municipal_counts(data)
    count = sizes["municipalities"]
    level = pd.Series(
        np.select([count >= 9, count >= 4, count >= 2], [HIGHER, REGIONAL, LOCAL], ""),
        index=sizes.index,
    )
    sizes["level"] = level
    known = sizes[sizes["level"] != ""]
    by_level = _ids_by(known, "level")
    n = len(known)
    rows, ids = [], []
    for name in (LOCAL, REGIONAL, HIGHER):
        refs = by_level.get(name, [])
        rows.append([name, len(refs), _pct(len(refs), n)])
        ids.append(refs)
    stated = sizes[sizes["used_stated"] & (sizes["level"] != "")]
    note = "Alle deltakende kommuner telles, også kommuner utenfor det kartlagte området."
    if len(stated):
        note += (
            f" For {len(stated)} ordninger med delvis deltakerliste eller gruppe er oppgitt antall "
            f"deltakere brukt fordi det er større enn antall kommuner i listen ({', '.join(_ids(stated['ref']))})."
        )
    return Table(
        id="geografisk_niva",
        title="Geografisk nivå",
        n=n,
        columns=["niva", "ordninger", "prosent"],
        rows=rows,
        ids=ids,
        missing=_ids(sizes.loc[sizes["level"] == "", "ref"]),
        missing_reason="Færre enn to kommuner som deltakere (antall kommuner ikke kjent eller under 2).",
        caption=(
            "Ordninger etter geografisk nivå: lokalt 2–3, regionalt 4–8 og høyere nivå 9 eller "
            f"flere deltakende kommuner. Prosent av ordningene med kjent nivå (n = {n})."
        ),
        note=note,
    )


# ---------------------------------------------------------------------------------------------
# 3. Per municipality (with hosting), 3b. size classes, 3c. regions


def _per_municipality_frame(data: MappingData) -> pd.DataFrame:
    """One row per scope municipality: ordninger, vertskommune_for, betjent_av_andre (+ scope
    columns), in the scope's order. A fresh copy: callers may add columns."""
    return _memo(data, "per_municipality", lambda: _compute_per_municipality(data)).copy()


def _compute_per_municipality(data: MappingData) -> pd.DataFrame:
    scope = _scope(data).reset_index(drop=True)
    part = _participation(data)
    counted = _counted(data)
    known = counted[_known_host(counted)]
    participation = part.groupby("entity").size()
    hosted = known.groupby("host_entity").size()
    served = part.merge(
        known[["ref", "host_entity"]].assign(ref=lambda f: f["ref"].astype(str)), on="ref"
    )
    served = served[served["host_entity"] != served["entity"]].groupby("entity").size()
    frame = scope.copy()
    frame["ordninger"] = frame["entity"].map(participation).fillna(0).astype(int)
    frame["vertskommune_for"] = frame["entity"].map(hosted).fillna(0).astype(int)
    frame["betjent_av_andre"] = frame["entity"].map(served).fillna(0).astype(int)
    return frame


def per_municipality(data: MappingData) -> Table:
    """Analysis 3 (and 8): counted arrangements per municipality, ranked, with hosting."""
    frame = _per_municipality_frame(data)
    frame["_sort"] = _norwegian_key(frame["name"])
    frame = frame.sort_values(["ordninger", "_sort"], ascending=[False, True], kind="stable")
    part = _participation(data)
    counted = _counted(data)
    known_mask = _known_host(counted)
    hosted_pairs = counted.loc[known_mask, ["host_entity", "ref"]].rename(
        columns={"host_entity": "entity"}
    )
    refs_by = _ids_by(pd.concat([part, hosted_pairs.astype({"ref": str})]), "entity")
    rows, ids = [], []
    for entity, number, name, population, o, h, s in zip(
        frame["entity"],
        frame["number"],
        frame["name"],
        frame["population"],
        frame["ordninger"],
        frame["vertskommune_for"],
        frame["betjent_av_andre"],
        strict=True,
    ):
        rows.append([str(number), str(name), _plain(population), int(o), int(h), int(s)])
        ids.append(refs_by.get(entity, []))
    n_known = int(known_mask.sum())
    n_none = int((counted["host_status"] == "ingen").sum())
    unknown = counted.loc[~known_mask & (counted["host_status"] != "ingen"), "ref"]
    outside = counted.loc[known_mask & ~counted["host_entity"].isin(set(frame["entity"])), "ref"]
    note = (
        f"{n_known} av {len(counted)} tellende ordninger har kjent vertskommune"
        + (f" ({len(outside)} med vertskommune utenfor området)" if len(outside) else "")
        + (f", {n_none} er registrert uten vertskommune" if n_none else "")
        + f"; for {len(unknown)} er vertskommunen ukjent (ikke «ingen»). "
        "vertskommune_for og betjent_av_andre teller bare ordninger med kjent vertskommune og er "
        "derfor nedre grenser."
    )
    return Table(
        id="per_kommune",
        title="Samarbeidsordninger per kommune",
        n=len(frame),
        columns=[
            "kommunenummer",
            "kommune",
            "innbyggere",
            "ordninger",
            "vertskommune_for",
            "betjent_av_andre",
        ],
        rows=rows,
        ids=ids,
        missing=_ids(unknown),
        missing_reason="Ukjent vertskommune: telt i ordninger, men ikke i vertskommune_for eller betjent_av_andre.",
        caption=(
            f"Tellende ordninger hver av de {len(frame)} kartlagte kommunene deltar i, rangert; "
            "antall ordninger kommunen er vertskommune for, og antall den deltar i med en annen "
            "kommune som kjent vertskommune. ids: ordningene kommunen deltar i eller er vert for."
        ),
        note=note,
    )


def size_classes(data: MappingData) -> Table:
    """Analysis 3: mean number of arrangements per municipality in each size class."""
    frame = _per_municipality_frame(data)
    part = _participation(data).merge(frame[["entity", "size_class"]], on="entity")
    refs_by = _ids_by(part, "size_class")
    known = frame[frame["size_class"].isin(SIZE_CLASSES)]
    grouped = known.groupby("size_class")["ordninger"].agg(["size", "sum"])
    rows, ids = [], []
    for cls in SIZE_CLASSES:
        count = int(grouped["size"].get(cls, 0))
        rows.append([cls, count, _mean(grouped["sum"].get(cls, 0), count)])
        ids.append(refs_by.get(cls, []))
    unknown = frame.loc[~frame["size_class"].isin(SIZE_CLASSES), "name"]
    note = ""
    if len(unknown):
        note = f"Uten kjent folketall (ikke med): {', '.join(sorted(map(str, unknown)))}."
    return Table(
        id="storrelsesklasse",
        title="Gjennomsnittlig antall ordninger etter kommunestørrelse",
        n=len(known),
        columns=["klasse", "kommuner", "snitt_ordninger"],
        rows=rows,
        ids=ids,
        caption=(
            "Gjennomsnittlig antall tellende ordninger per kommune i hver størrelsesklasse "
            f"(innbyggere 1. januar), over {len(known)} kommuner med kjent folketall."
        ),
        note=note,
    )


def _region_order(scope: pd.DataFrame) -> list[str]:
    regions = scope["region"].fillna("").astype(str)
    order = [r for r in pd.unique(regions) if r]
    return [*order, ""] if (regions == "").any() else order


def per_region(data: MappingData) -> Table:
    """Analysis 3: mean arrangements per municipality per region, and the arrangements with at
    least one participant from the region."""
    frame = _per_municipality_frame(data)
    frame["region"] = frame["region"].fillna("").astype(str)
    part = _participation(data).merge(frame[["entity", "region"]], on="entity")
    refs_by = _ids_by(part, "region")
    grouped = frame.groupby("region")["ordninger"].agg(["size", "sum"])
    rows, ids = [], []
    for region in _region_order(frame):
        count = int(grouped["size"].get(region, 0))
        refs = refs_by.get(region, [])
        rows.append(
            [region or NO_REGION, count, _mean(grouped["sum"].get(region, 0), count), len(refs)]
        )
        ids.append(refs)
    return Table(
        id="per_region",
        title="Samarbeidsordninger per region",
        n=len(frame),
        columns=["region", "kommuner", "snitt_ordninger", "ordninger_i_regionen"],
        rows=rows,
        ids=ids,
        caption=(
            f"Per region: antall kommuner, gjennomsnittlig antall tellende ordninger per kommune "
            f"og antall ordninger med minst én deltaker fra regionen (n = {len(frame)} kommuner)."
        ),
        note=f"Snitt for hele området: {_mean(frame['ordninger'].sum(), len(frame))} ordninger per kommune.",
    )


# ---------------------------------------------------------------------------------------------
# 4. Establishment


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


# ---------------------------------------------------------------------------------------------
# 5. Staff-years


def staff_years(data: MappingData) -> Table:
    """Analysis 5: årsverk in the arrangements with a participant from each region, and as a
    share of the region's total municipal årsverk (where that is given)."""
    counted = _counted(data)
    with_arsverk = counted[counted["arsverk"].notna()]
    arsverk = dict(
        zip(with_arsverk["ref"].astype(str), with_arsverk["arsverk"].astype(float), strict=True)
    )
    scope = _scope(data).copy()
    scope["region"] = scope["region"].fillna("").astype(str)
    part = _participation(data)
    part = part[part["ref"].isin(set(arsverk))].merge(scope[["entity", "region"]], on="entity")
    part["arsverk"] = part["ref"].map(arsverk)
    refs_by = _ids_by(part, "region")
    totals = data.total_arsverk or {}

    def denominator(entities: Iterable[str]) -> float | None:
        entities = list(entities)
        if not entities or any(e not in totals or totals[e] is None for e in entities):
            return None
        return float(sum(totals[e] for e in entities))

    region_sums = part.drop_duplicates(["region", "ref"]).groupby("region")["arsverk"].sum()
    area_sum = part.drop_duplicates("ref")["arsverk"].sum()

    def row(label: str, refs: list[str], entities: Iterable[str], total: float) -> list[Any]:
        total_arsverk = round(float(total), 1)
        base = denominator(entities)
        return [label, len(refs), total_arsverk, _pct(total_arsverk, base) if base else None]

    rows, ids = [], []
    members = scope.groupby("region")["entity"].agg(list)
    for region in _region_order(scope):
        refs = refs_by.get(region, [])
        rows.append(
            row(region or NO_REGION, refs, members.get(region, []), region_sums.get(region, 0.0))
        )
        ids.append(refs)
    all_refs = _ids(part["ref"])
    rows.append(row(WHOLE_AREA, all_refs, scope["entity"], area_sum))
    ids.append(all_refs)
    note = (
        "En ordning telles én gang per region den har deltakere fra, med alle sine årsverk; "
        "summen over regionene kan derfor være større enn for hele området."
    )
    if not totals:
        note += " Kommunenes samlede årsverk er ikke oppgitt, så andelen mangler."
    return Table(
        id="arsverk",
        title="Årsverk i samarbeidsordningene",
        n=len(with_arsverk),
        columns=["region", "ordninger_med_arsverk", "arsverk", "andel_av_kommunale_arsverk"],
        rows=rows,
        ids=ids,
        missing=_ids(counted.loc[counted["arsverk"].isna(), "ref"]),
        missing_reason="Årsverk ikke oppgitt.",
        caption=(
            "Faste årsverk i tellende ordninger med minst én deltaker fra regionen, og andel av "
            f"regionens samlede kommunale årsverk i prosent (n = {len(with_arsverk)} ordninger med "
            "kjente årsverk)."
        ),
        note=note,
    )


# ---------------------------------------------------------------------------------------------
# 6. Cross-county cooperation


def cross_county(data: MappingData) -> Table:
    """Analysis 6: arrangements whose municipal participants lie in more than one county.

    Counties are taken at ``data.county_date``. The "other" county is named relative to the
    mapping's main county (the county of most mapped municipalities): an arrangement of Viken
    municipalities with Gran (Innlandet) is counted under Innlandet; one whose participants lie in
    two or more counties besides the main one is counted under "Flere fylker".
    """
    counted = _counted(data)
    members = _municipal_members(data)
    known = members[members["county_number"] != ""]
    scope_counties = data.municipalities["county_number"].value_counts()
    main = str(scope_counties.index[0]) if len(scope_counties) else ""
    main_name = ""
    if main:
        main_name = str(
            data.municipalities.loc[
                data.municipalities["county_number"] == main, "county_name"
            ].iloc[0]
        )
    counties = known[["ref", "county_number", "county_name"]].drop_duplicates(
        ["ref", "county_number"]
    )
    spread = counties.groupby("ref")["county_number"].transform("size")
    other = counties[(spread > 1) & (counties["county_number"] != main)]
    per_ref = other.groupby("ref").agg(
        counties=("county_number", "size"),
        county_number=("county_number", "first"),
        county_name=("county_name", "first"),
    )
    single = per_ref["counties"] == 1
    label = per_ref["county_name"].where(per_ref["county_name"] != "", per_ref["county_number"])
    per_ref["label"] = label.where(single, SEVERAL_COUNTIES)
    by_label = _ids_by(per_ref.reset_index(), "label")
    names = sorted(
        (k for k in by_label if k != SEVERAL_COUNTIES), key=lambda k: (-len(by_label[k]), k)
    )
    if SEVERAL_COUNTIES in by_label:
        names.append(SEVERAL_COUNTIES)
    unknown_county = set(members.loc[members["county_number"] == "", "ref"]) - set(per_ref.index)
    crossing = len(per_ref)
    return Table(
        id="fylkesgrense",
        title="Samarbeid over fylkesgrensen",
        n=len(counted),
        columns=["fylke", "ordninger"],
        rows=[[k, len(by_label[k])] for k in names],
        ids=[by_label[k] for k in names],
        missing=_ids(unknown_county),
        missing_reason="Kommunal deltaker med ukjent fylke.",
        caption=(
            "Tellende ordninger med kommunale deltakere i mer enn ett fylke, etter fylket utenom "
            f"kartleggingens hovedfylke ({main_name or 'ukjent'}); «Flere fylker» når det er flere. "
            f"Fylke per {data.county_date.isoformat()}."
        ),
        note=f"{crossing} av {len(counted)} tellende ordninger går over fylkesgrensen.",
    )
