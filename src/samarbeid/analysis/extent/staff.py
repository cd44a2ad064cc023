"""Extent, analysis 5: staff-years (årsverk) in the arrangements, per region and for the whole
area, and as a share of the municipalities' own staff-years where those are given."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..cache import counted as _counted
from ..frames import _ids, _ids_by, _participation, _pct, _scope
from ..model import MappingData, Table
from .municipalities import NO_REGION, _region_order

WHOLE_AREA = "Hele området"


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
    region_sums = part.drop_duplicates(["region", "ref"]).groupby("region")["arsverk"].sum()
    area_sum = part.drop_duplicates("ref")["arsverk"].sum()

    rows, ids = [], []
    members = scope.groupby("region")["entity"].agg(list)
    for region in _region_order(scope):
        refs = refs_by.get(region, [])
        rows.append(
            _row(
                totals,
                region or NO_REGION,
                refs,
                members.get(region, []),
                region_sums.get(region, 0.0),
            )
        )
        ids.append(refs)
    all_refs = _ids(part["ref"])
    rows.append(_row(totals, WHOLE_AREA, all_refs, scope["entity"], area_sum))
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


def _denominator(totals: Mapping[str, float | None], entities: Iterable[str]) -> float | None:
    """The municipalities' own årsverk summed; None unless every one of them is given."""
    entities = list(entities)
    if not entities or any(e not in totals or totals[e] is None for e in entities):
        return None
    return float(sum(totals[e] for e in entities))


def _row(
    totals: Mapping[str, float | None],
    label: str,
    refs: list[str],
    entities: Iterable[str],
    total: float,
) -> list[Any]:
    """One row: the region (or the whole area), its arrangements with årsverk, their årsverk and
    the share of the municipalities' own årsverk."""
    total_arsverk = round(float(total), 1)
    base = _denominator(totals, entities)
    return [label, len(refs), total_arsverk, _pct(total_arsverk, base) if base else None]
