"""Frames and helpers shared by the analyses of extent and content: the municipal participants
of the counted arrangements, the scope municipalities taking part, refs grouped by a key, percent
and mean, and a Norwegian sort key.

Intermediate frames are memoised per mapping (:mod:`.cache`), so the analyses that share them
compute them once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from .arrays import distinct
from .cache import counted as _counted
from .cache import memoised as _memo
from .model import MappingData


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
