"""The analysis input (one mapping as plain tables) and output (a table with its n and ids).

Columns of the input frames (every frame may be empty but always has these columns):

``municipalities`` — the mapping's scope, one row per mapped municipality:
    entity (str, stable municipality key), number, name, label ("Drammen (3005)"),
    population (Int64, on 1 January of the mapping year; <NA> unknown), county_number,
    county_name (county at ``MappingData.county_date``), region (str, "" none), size_class
    ("< 5 000" | "5 000–15 000" | "> 15 000" | "" unknown).

``arrangements`` — every arrangement of the mapping, counted or not:
    ref, name, abbreviation, status ("telles" | "avsluttet" | "utenfor"), counted (bool: only
    these enter the method's analyses), legal_form (code or "" unknown), sector (code or ""),
    established_from (Int64), established_to (Int64), established_unspecified (bool),
    ended (str "YYYY" / "YYYY-MM-DD" / ""), host_status ("" unknown | "kommune" | "ingen"),
    host_entity, host_number, host_name (str, "" when no known municipal host),
    arsverk (float, NaN unknown), participant_count_stated (Int64), completeness
    ("fullstendig" | "delvis" | "gruppe" | ""), task_areas (tuple[int, ...]), org_number,
    name_variants (tuple[str, ...]), status_note, exclusion_reason (code or "").

``memberships`` — one row per participant of an arrangement:
    ref (the arrangement), kind ("kommune" | "fylkeskommune" | "annen"), entity (municipality
    entity or ""), number, name, county_number, county_name (the participant's county at
    ``county_date``; for a municipality that no longer existed then, its county while it
    existed), in_scope (bool), role, share (float, NaN unknown).

``task_areas`` — nr, name, reference_pct (float; the reference mapping's share, Trøndelag 2020).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

MUNICIPALITY_COLUMNS = [
    "entity",
    "number",
    "name",
    "label",
    "population",
    "county_number",
    "county_name",
    "region",
    "size_class",
]
ARRANGEMENT_COLUMNS = [
    "ref",
    "name",
    "abbreviation",
    "status",
    "counted",
    "legal_form",
    "sector",
    "established_from",
    "established_to",
    "established_unspecified",
    "ended",
    "host_status",
    "host_entity",
    "host_number",
    "host_name",
    "arsverk",
    "participant_count_stated",
    "completeness",
    "task_areas",
    "org_number",
    "name_variants",
    "status_note",
    "exclusion_reason",
]
MEMBERSHIP_COLUMNS = [
    "ref",
    "kind",
    "entity",
    "number",
    "name",
    "county_number",
    "county_name",
    "in_scope",
    "role",
    "share",
]
TASK_AREA_COLUMNS = ["nr", "name", "reference_pct"]

SIZE_CLASSES = ("< 5 000", "5 000–15 000", "> 15 000")


def size_class(population: int | None) -> str:
    """The method's size classes (2.2): under 5 000, 5 000–15 000, over 15 000 inhabitants."""
    if population is None or pd.isna(population):
        return ""
    if population < 5000:
        return SIZE_CLASSES[0]
    if population <= 15000:
        return SIZE_CLASSES[1]
    return SIZE_CLASSES[2]


@dataclass
class MappingData:
    name: str
    title: str
    cutoff: dt.date
    county_date: dt.date
    municipalities: pd.DataFrame
    arrangements: pd.DataFrame
    memberships: pd.DataFrame
    task_areas: pd.DataFrame
    #: Optional input: total municipal årsverk per municipality entity (analysis 5).
    total_arsverk: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("municipalities", "arrangements", "memberships", "task_areas"):
            setattr(self, name, _plain_strings(getattr(self, name)))

    def counted(self) -> pd.DataFrame:
        """The counted arrangements (nivi-method.md §1): never ended or excluded ones."""
        return self.arrangements[self.arrangements["counted"]]

    def counted_memberships(self) -> pd.DataFrame:
        refs = set(self.counted()["ref"])
        return self.memberships[self.memberships["ref"].isin(refs)]


@dataclass
class Table:
    """One analysis result: what a report prints as a table or draws as a figure.

    ``rows`` hold plain values (str, int, float, None) in the order of ``columns``. ``ids`` holds,
    per row, the arrangement refs behind the row's numbers (empty where a row is not about
    arrangements). ``missing`` lists the refs the analysis had to leave out because they lack the
    data it needs (e.g. no known year), so a reader sees what the numbers do not cover.
    """

    id: str
    title: str
    n: int
    columns: list[str]
    rows: list[list[Any]]
    ids: list[list[str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    missing_reason: str = ""
    caption: str = ""
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "n": self.n,
            "columns": self.columns,
            "rows": self.rows,
            "ids": self.ids,
            "missing": self.missing,
            "missing_reason": self.missing_reason,
            "caption": self.caption,
            "note": self.note,
        }

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=self.columns)


def _plain_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as Python objects, not pandas' string dtype: the analyses iterate over names
    and refs, and boxing each element of a string array cost a third of the national benchmark."""
    text = [
        c
        for c in frame.columns
        if pd.api.types.is_string_dtype(frame[c].dtype) and frame[c].dtype != object
    ]
    if not text:
        return frame
    frame = frame.copy()
    for column in text:
        frame[column] = frame[column].astype(object)
    return frame


def empty_frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: [] for c in columns})
