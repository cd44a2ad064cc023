"""Extent, analysis 3: counted arrangements per municipality (with hosting), the mean per size
class and the mean per region."""

from __future__ import annotations

import pandas as pd

from ..cache import counted as _counted
from ..cache import memoised as _memo
from ..frames import (
    _ids,
    _ids_by,
    _known_host,
    _mean,
    _norwegian_key,
    _participation,
    _plain,
    _scope,
)
from ..model import SIZE_CLASSES, MappingData, Table

NO_REGION = "Uten region"


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
