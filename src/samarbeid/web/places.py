"""Queries behind the place pages: one municipality in a mapping (analysis 13 of the method, its
hosts and partners), a region, and the mapping's map. The views only pick and render.

Counting follows the registry (nivi-method.md §1): only arrangements with status ``telles`` count;
"hosted" and "served by others" need a known host. Unknown stays unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from samarbeid.registry.models import (
    Arrangement,
    Mapping,
    MappingMunicipality,
    Membership,
    MunicipalityPeriod,
    Population,
)

from .queries import COUNTED, _mapping_periods, participant_name

# --- One municipality in a mapping --------------------------------------------------------------


def municipality_in_mapping(mapping: Mapping, number: str) -> MunicipalityPeriod | None:
    """The municipality with this number in the mapping: in its scope, else a participant or host."""
    entry = (
        MappingMunicipality.objects.filter(mapping=mapping, period__number=number)
        .select_related("period", "period__county")
        .first()
    )
    if entry is not None:
        return entry.period
    return (
        _mapping_periods(mapping)
        .filter(number=number)
        .select_related("county")
        .order_by("-valid_from")
        .first()
    )


@dataclass
class MunicipalityRow:
    arrangement: Arrangement
    others: list[str]


@dataclass
class MunicipalityOverview:
    period: MunicipalityPeriod
    in_scope: bool
    region: str
    population: int | None
    population_year: int
    counted: list[MunicipalityRow]
    not_counted: list[MunicipalityRow]
    hosted: list[Arrangement]
    served_by_others: list[Arrangement]
    host_unknown: int


def municipality_overview(mapping: Mapping, period: MunicipalityPeriod) -> MunicipalityOverview:
    """Analysis 13 of the method for one municipality: every arrangement it takes part in, with
    the co-participants, legal form, host, year and staff-years; what it hosts; who serves it."""
    entity = period.municipality_id
    scope_entry = (
        MappingMunicipality.objects.filter(mapping=mapping, period=period)
        .select_related("region")
        .first()
    )
    members = Membership.objects.select_related("municipality", "county").order_by("position", "id")
    taking_part = (
        Arrangement.objects.filter(mapping=mapping, memberships__municipality__municipality=entity)
        .distinct()
        .select_related("host")
        .prefetch_related(Prefetch("memberships", queryset=members))
        .order_by("position", "id")
    )
    counted: list[MunicipalityRow] = []
    not_counted: list[MunicipalityRow] = []
    served: list[Arrangement] = []
    host_unknown = 0
    for arrangement in taking_part:
        others = [
            participant_name(m)
            for m in arrangement.memberships.all()
            if not (m.municipality_id and m.municipality.municipality_id == entity)
        ]
        row = MunicipalityRow(arrangement, others)
        if arrangement.status != COUNTED:
            not_counted.append(row)
            continue
        counted.append(row)
        if arrangement.host_id is None:
            host_unknown += arrangement.host_status == ""
        elif arrangement.host.municipality_id != entity:
            served.append(arrangement)
    hosted = list(
        Arrangement.objects.filter(
            mapping=mapping, status=COUNTED, host__municipality_id=entity
        ).order_by("position", "id")
    )
    year = mapping.cutoff_date.year
    population = (
        Population.objects.filter(municipality_id=entity, year=year)
        .values_list("population", flat=True)
        .first()
    )
    return MunicipalityOverview(
        period=period,
        in_scope=scope_entry is not None,
        region=scope_entry.region.name if scope_entry and scope_entry.region else "",
        population=population,
        population_year=year,
        counted=counted,
        not_counted=not_counted,
        hosted=hosted,
        served_by_others=served,
        host_unknown=host_unknown,
    )
