"""Hand-made mappings for analysis tests: say only what matters, defaults fill the rest."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from samarbeid.analysis.model import (
    ARRANGEMENT_COLUMNS,
    MEMBERSHIP_COLUMNS,
    MUNICIPALITY_COLUMNS,
    TASK_AREA_COLUMNS,
    MappingData,
    size_class,
)
from samarbeid.reference.files import task_areas

ARRANGEMENT_DEFAULTS: dict[str, Any] = {
    "abbreviation": "",
    "status": "telles",
    "legal_form": "",
    "sector": "",
    "established_from": None,
    "established_to": None,
    "established_unspecified": False,
    "ended": "",
    "host_status": "",
    "host_entity": "",
    "host_number": "",
    "host_name": "",
    "arsverk": float("nan"),
    "participant_count_stated": None,
    "completeness": "fullstendig",
    "task_areas": (),
    "org_number": "",
    "name_variants": (),
    "status_note": "",
    "exclusion_reason": "",
}


def municipality(
    number: str,
    name: str,
    population: int | None = None,
    county: str = "30",
    county_name: str = "Viken",
    region: str = "",
    entity: str | None = None,
) -> dict:
    return {
        "entity": entity or f"E{number}",
        "number": number,
        "name": name,
        "label": f"{name} ({number})",
        "population": population,
        "county_number": county,
        "county_name": county_name,
        "region": region,
        "size_class": size_class(population),
    }


def make_data(
    municipalities: list[dict],
    arrangements: list[dict],
    outside: list[dict] | None = None,
    cutoff: dt.date = dt.date(2021, 11, 1),
    total_arsverk: dict[str, float] | None = None,
) -> MappingData:
    """``arrangements``: dicts with ref, name, members (list of municipality numbers, or dicts
    for other kinds), host (a number) and any ARRANGEMENT_COLUMNS field. ``outside``: municipalities
    that take part but are not in the scope (same shape as :func:`municipality`)."""
    scope = pd.DataFrame(municipalities, columns=MUNICIPALITY_COLUMNS)
    scope["population"] = scope["population"].astype("Int64")
    known = {m["number"]: m for m in [*municipalities, *(outside or [])]}
    in_scope = {m["number"] for m in municipalities}
    rows, members = [], []
    for a in arrangements:
        a = dict(a)
        member_list = a.pop("members", [])
        host = a.pop("host", None)
        row = {**ARRANGEMENT_DEFAULTS, **a}
        if host:
            row.update(
                host_status="kommune",
                host_entity=known[host]["entity"],
                host_number=host,
                host_name=known[host]["name"],
            )
        if "established" in row:
            year = row.pop("established")
            row["established_from"] = row["established_to"] = year
        row["counted"] = row["status"] == "telles"
        rows.append([row[c] for c in ARRANGEMENT_COLUMNS])
        for m in member_list:
            if isinstance(m, dict):
                members.append(
                    {
                        "ref": a["ref"],
                        "kind": "annen",
                        "entity": "",
                        "number": "",
                        "county_number": "",
                        "county_name": "",
                        "in_scope": False,
                        "role": "deltaker",
                        "share": float("nan"),
                        **m,
                    }
                )
                continue
            info = known[m]
            members.append(
                {
                    "ref": a["ref"],
                    "kind": "kommune",
                    "entity": info["entity"],
                    "number": m,
                    "name": info["name"],
                    "county_number": info["county_number"],
                    "county_name": info["county_name"],
                    "in_scope": m in in_scope,
                    "role": "deltaker",
                    "share": float("nan"),
                }
            )
    frame = pd.DataFrame(rows, columns=ARRANGEMENT_COLUMNS)
    for column in ("established_from", "established_to", "participant_count_stated"):
        frame[column] = frame[column].astype("Int64")
    frame["arsverk"] = frame["arsverk"].astype(float)
    frame["counted"] = frame["counted"].astype(bool)
    member_frame = pd.DataFrame(members, columns=MEMBERSHIP_COLUMNS)
    member_frame["in_scope"] = member_frame["in_scope"].astype(bool)
    member_frame["share"] = member_frame["share"].astype(float)
    areas = pd.DataFrame(
        [
            [t.nr, t.name, float(t.reference_pct) if t.reference_pct is not None else float("nan")]
            for t in task_areas()
        ],
        columns=TASK_AREA_COLUMNS,
    )
    return MappingData(
        "Test", "Test", cutoff, cutoff, scope, frame, member_frame, areas, total_arsverk or {}
    )
