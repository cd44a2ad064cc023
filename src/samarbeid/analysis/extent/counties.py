"""Extent, analysis 6: cooperation across county borders."""

from __future__ import annotations

from ..cache import counted as _counted
from ..frames import _ids, _ids_by, _municipal_members
from ..model import MappingData, Table

SEVERAL_COUNTIES = "Flere fylker"


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
