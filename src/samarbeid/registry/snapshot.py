"""Read one mapping from the database into the analysis input (:class:`MappingData`)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from samarbeid.analysis.model import (
    ARRANGEMENT_COLUMNS,
    MEMBERSHIP_COLUMNS,
    MUNICIPALITY_COLUMNS,
    TASK_AREA_COLUMNS,
    MappingData,
    size_class,
)
from samarbeid.reference.gazetteer import load_gazetteer

from .models import (
    COUNTED,
    Arrangement,
    Mapping,
    MappingMunicipality,
    Membership,
    Population,
    TaskArea,
)
from .participation import taking_part_q


def _county_at(entity: str, fallback, at: dt.date) -> tuple[str, str]:
    """The county of a municipality entity at ``at`` (or while it existed, if it had ended)."""
    periods = load_gazetteer().entity_periods(entity)
    for period in periods:
        if period.valid_at(at):
            return period.county.number, period.county.name
    return fallback.county.number, fallback.county.name


def mapping_data(mapping: Mapping, county_date: dt.date | None = None) -> MappingData:
    county_date = county_date or mapping.cutoff_date
    gaz = load_gazetteer()
    by_key = {(p.number, p.valid_from): p for p in gaz.periods}
    year = mapping.cutoff_date.year
    population = dict(
        Population.objects.filter(year=year).values_list("municipality__key", "population")
    )

    scope_rows = []
    for entry in MappingMunicipality.objects.filter(mapping=mapping).select_related(
        "period__municipality", "region"
    ):
        gp = by_key[(entry.period.number, entry.period.valid_from)]
        county = _county_at(gp.entity, gp, county_date)
        pop = population.get(gp.entity)
        scope_rows.append(
            [
                gp.entity,
                gp.number,
                gp.qualified_name(),
                gp.label(),
                pop,
                county[0],
                county[1],
                entry.region.name if entry.region else "",
                size_class(pop),
            ]
        )
    municipalities = pd.DataFrame(scope_rows, columns=MUNICIPALITY_COLUMNS)
    municipalities["population"] = municipalities["population"].astype("Int64")
    in_scope = set(municipalities["entity"])

    arrangement_rows = []
    tasks: dict[int, list[int]] = {}
    for arrangement_id, nr in Arrangement.task_areas.through.objects.filter(
        arrangement__mapping=mapping
    ).values_list("arrangement_id", "taskarea__nr"):
        tasks.setdefault(arrangement_id, []).append(nr)
    refs: dict[int, str] = {}
    for a in (
        Arrangement.objects.filter(mapping=mapping).select_related("host").order_by("position")
    ):
        refs[a.id] = a.ref
        host = by_key.get((a.host.number, a.host.valid_from)) if a.host else None
        ended = ""
        if a.ended_on:
            ended = str(a.ended_on.year) if a.ended_precision == "year" else a.ended_on.isoformat()
        arrangement_rows.append(
            [
                a.ref,
                a.name,
                a.abbreviation,
                a.status,
                a.status == COUNTED,
                a.legal_form,
                a.sector,
                a.established_from,
                a.established_to,
                a.established_unspecified,
                ended,
                a.host_status,
                host.entity if host else "",
                host.number if host else "",
                host.qualified_name() if host else "",
                float(a.arsverk) if a.arsverk is not None else float("nan"),
                a.participant_count_stated,
                a.participants_completeness,
                tuple(sorted(tasks.get(a.id, []))),
                a.org_number,
                tuple(a.name_variants),
                a.status_note,
                a.exclusion_reason,
            ]
        )
    arrangements = pd.DataFrame(arrangement_rows, columns=ARRANGEMENT_COLUMNS)
    for column in ("established_from", "established_to", "participant_count_stated"):
        arrangements[column] = arrangements[column].astype("Int64")
    arrangements["arsverk"] = arrangements["arsverk"].astype(float)

    member_rows = []
    # Only participants that take part on the mapping's date (joined by then, not yet left): the
    # same rule as the role rules and the verification lists (registry/participation.py).
    for m in (
        Membership.objects.filter(taking_part_q(mapping.cutoff_date), arrangement__mapping=mapping)
        .select_related("municipality", "county")
        .order_by("arrangement__position", "position")
    ):
        share = float(m.ownership_share) if m.ownership_share is not None else float("nan")
        if m.kind == "kommune":
            gp = by_key[(m.municipality.number, m.municipality.valid_from)]
            county = _county_at(gp.entity, gp, county_date)
            member_rows.append(
                [
                    refs[m.arrangement_id],
                    m.kind,
                    gp.entity,
                    gp.number,
                    gp.qualified_name(),
                    county[0],
                    county[1],
                    gp.entity in in_scope,
                    m.role,
                    share,
                ]
            )
        elif m.kind == "fylkeskommune":
            member_rows.append(
                [
                    refs[m.arrangement_id],
                    m.kind,
                    "",
                    "",
                    f"{m.county.name} fylkeskommune",
                    m.county.number,
                    m.county.name,
                    False,
                    m.role,
                    share,
                ]
            )
        else:
            member_rows.append(
                [refs[m.arrangement_id], m.kind, "", "", m.other_name, "", "", False, m.role, share]
            )
    memberships = pd.DataFrame(member_rows, columns=MEMBERSHIP_COLUMNS)
    memberships["share"] = memberships["share"].astype(float)
    memberships["in_scope"] = memberships["in_scope"].astype(bool)

    task_areas = pd.DataFrame(
        [
            [t.nr, t.name, float(t.reference_pct) if t.reference_pct is not None else float("nan")]
            for t in TaskArea.objects.order_by("nr")
        ],
        columns=TASK_AREA_COLUMNS,
    )
    return MappingData(
        mapping.name,
        mapping.title,
        mapping.cutoff_date,
        county_date,
        municipalities,
        arrangements,
        memberships,
        task_areas,
    )
